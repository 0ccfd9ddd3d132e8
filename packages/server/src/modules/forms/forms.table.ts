/** A form (CONTRACT §8.3): a key and a field schema. */
export interface FormTable {
  id: string;
  store_id: string;
  key: string;
  /** JSON FormSchemaField[] */
  schema: string;
  status: 'active' | 'draft' | 'archived';
  created_at: number;
  updated_at: number;
}

/** One submission of a form; `fields` are validated against the form's schema. */
export interface FormSubmissionTable {
  id: string;
  store_id: string;
  form_id: string;
  profile_id: string | null;
  /** JSON { id, key, type, value }[] */
  fields: string;
  /** Lower-cased text values: what `query` searches. */
  search_text: string;
  created_at: number;
  updated_at: number;
}

export interface FormTables {
  forms: FormTable;
  form_submissions: FormSubmissionTable;
}
