import { type FieldError, fieldErrors, LIMITS } from '@parley/protocol';
import { isApiError } from '../../api/ApiError';
import { FormError } from '../../ui/FormError';
import { describeForPeople, type FieldWords, fieldMessages } from '../../ui/fieldMessages';
import { TextField } from '../../ui/TextField';

export type RoomErrors = { name?: string; topic?: string; form?: string };
export type RoomValues = { name: string; topic: string };

interface RoomFieldsProps {
  value: RoomValues;
  onChange: (value: RoomValues) => void;
  errors: RoomErrors;
  /** Under the topic field. */
  topicHint: string;
  /** Which field takes the focus when the dialog opens. */
  autoFocus: 'name' | 'topic';
  namePlaceholder?: string;
}

/** The error about the whole form, then a room's name and topic: for creating and editing it. */
export function RoomFields(props: RoomFieldsProps) {
  const { value, onChange, errors, topicHint, autoFocus, namePlaceholder } = props;
  return (
    <>
      <FormError message={errors.form} />
      <TextField
        label="Room name"
        value={value.name}
        onChange={(name) => onChange({ ...value, name })}
        error={errors.name}
        placeholder={namePlaceholder}
        maxLength={LIMITS.roomNameMax * 2}
        autoComplete="off"
        autoFocus={autoFocus === 'name'}
      />
      <TextField
        label="Topic"
        value={value.topic}
        onChange={(topic) => onChange({ ...value, topic })}
        error={errors.topic}
        hint={topicHint}
        maxLength={LIMITS.topicMax * 2}
        autoComplete="off"
        autoFocus={autoFocus === 'topic'}
      />
    </>
  );
}

type Checked = { success: true } | { success: false; error: Parameters<typeof fieldErrors>[0] };

/** The field errors in a room schema's `safeParse` result, or `undefined` when it passed. */
export function invalidRoom(checked: Checked): RoomErrors | undefined {
  return checked.success ? undefined : toErrors(fieldErrors(checked.error));
}

/**
 * What the server's refusal says: by field where it names one, else for the whole form. A
 * conflict naming no field is about the name (the room's address is made from it).
 */
export function roomFailure(error: unknown): RoomErrors {
  const fields = isApiError(error) ? toErrors(error.fields) : {};
  if (fields.name || fields.topic) return fields;
  if (isApiError(error) && error.code === 'conflict')
    return { name: `${error.message} Choose another name.` };
  return { form: describeForPeople(error) };
}

const WORDS: Record<'name' | 'topic', FieldWords> = {
  name: { noun: 'a name for the room', subject: 'The name' },
  topic: { noun: 'a topic', subject: 'The topic' },
};

function toErrors(fields: FieldError[]): RoomErrors {
  const errors: RoomErrors = fieldMessages(fields, WORDS);
  if (fields.some((field) => field.path === 'name' && field.message === 'must not be empty')) {
    errors.name = 'Give the room a name.';
  }
  return errors;
}
