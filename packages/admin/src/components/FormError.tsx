import { Alert } from '@mantine/core';
import { errorMessage } from '../api/errors.ts';

/** An API error no field claimed (`details.field` absent or not on this form). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="Not saved">
      {errorMessage(error)}
    </Alert>
  );
}
