import { Type, type Static } from '@sinclair/typebox';
import { Key, Nullable, PageQuery, StringEnum, Timestamp } from './common.ts';

/** Forms and submissions (CONTRACT §8.3, v1.1). */

export const FORM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'geo_location', 'select'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FormStatus = StringEnum(['active', 'draft', 'archived'] as const);
export type FormStatus = Static<typeof FormStatus>;

const SelectOption = Type.Union([
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Object({ value: Type.String({ minLength: 1, maxLength: 200 }), label: Type.Optional(Type.Unknown()) }),
]);

/**
 * One field of a form. `min`/`max` bound the length of text and the value of numbers and dates;
 * `options` lists what a select accepts; `variant` narrows text (email, phone_number, url).
 */
export const FormSchemaField = Type.Object({
  id: Type.String(),
  key: Type.String(),
  type: StringEnum(FORM_FIELD_TYPES),
  label: Type.Optional(Type.Unknown()),
  required: Type.Optional(Type.Boolean()),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  options: Type.Optional(Type.Array(SelectOption)),
  variant: Type.Optional(StringEnum(['email', 'phone_number', 'url'] as const)),
});
export type FormSchemaField = Static<typeof FormSchemaField>;

export const FormSchemaFieldInput = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  key: Type.String({ minLength: 1, maxLength: 64 }),
  type: Type.String({ maxLength: 30 }),
  label: Type.Optional(Type.Unknown()),
  required: Type.Optional(Type.Boolean()),
  min: Type.Optional(Nullable(Type.Number())),
  max: Type.Optional(Nullable(Type.Number())),
  options: Type.Optional(Nullable(Type.Array(SelectOption, { maxItems: 500 }))),
  variant: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
});

export const Form = Type.Object(
  {
    id: Type.String(),
    key: Type.String(),
    store_id: Type.String(),
    schema: Type.Array(FormSchemaField),
    status: FormStatus,
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'Form' },
);
export type Form = Static<typeof Form>;

export const CreateFormBody = Type.Object({
  key: Key(),
  schema: Type.Optional(Type.Array(FormSchemaFieldInput, { maxItems: 200 })),
  status: Type.Optional(FormStatus),
});
export const UpdateFormBody = Type.Partial(CreateFormBody);

export const FormParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  id: Type.String({ maxLength: 200 }),
});
export const FormSubmissionParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  formId: Type.String({ maxLength: 200 }),
});
export const FormSubmissionItemParams = Type.Object({
  storeId: Type.String({ maxLength: 100 }),
  formId: Type.String({ maxLength: 200 }),
  id: Type.String({ maxLength: 100 }),
});

export const FindFormsQuery = Type.Object({
  ...PageQuery,
  ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  key: Type.Optional(Type.String({ maxLength: 64 })),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(FormStatus),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at', 'key'] as const)),
});

/** A submitted value; `id` and `type` are taken from the form's schema. */
export const FormSubmissionField = Type.Object({
  id: Type.String(),
  key: Type.String(),
  type: StringEnum(FORM_FIELD_TYPES),
  value: Type.Unknown(),
});

export const FormSubmission = Type.Object(
  {
    id: Type.String(),
    form_id: Type.String(),
    store_id: Type.String(),
    profile_id: Nullable(Type.String()),
    fields: Type.Array(FormSubmissionField),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { title: 'FormSubmission' },
);
export type FormSubmission = Static<typeof FormSubmission>;

const SubmittedField = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 100 })),
  key: Type.String({ maxLength: 64 }),
  type: Type.Optional(Type.String({ maxLength: 30 })),
  value: Type.Optional(Type.Unknown()),
});

export const SubmitFormBody = Type.Object({
  fields: Type.Array(SubmittedField, { maxItems: 200 }),
  /** Admin submissions only: the profile the submission belongs to. */
  profile_id: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});
export const UpdateSubmissionBody = Type.Object({ fields: Type.Array(SubmittedField, { maxItems: 200 }) });

export const FindSubmissionsQuery = Type.Object({
  ...PageQuery,
  form_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  form_id: Type.Optional(Type.String({ maxLength: 100 })),
  profile_id: Type.Optional(Type.String({ maxLength: 100 })),
  query: Type.Optional(Type.String({ maxLength: 200 })),
  sort_field: Type.Optional(StringEnum(['created_at', 'updated_at'] as const)),
});

export type CreateFormBody = Static<typeof CreateFormBody>;
export type UpdateFormBody = Static<typeof UpdateFormBody>;
export type FindFormsQuery = Static<typeof FindFormsQuery>;
export type FindSubmissionsQuery = Static<typeof FindSubmissionsQuery>;
