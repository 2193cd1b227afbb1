import {
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { z } from 'zod/v4';
import type { EditedJson } from '../../../../bot/src/contracts';
import type { ApiClient } from '../../api/client';
import { ErrorBar } from '../../components/status';
import { useAction } from '../../use-load';
import { useAdminStyles } from './admin-ui';

const useStyles = makeStyles({
  editor: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  editorArea: { minHeight: '420px' },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** One problem of the edited JSON: where it is (a node, a field), if known, and what to do about it. */
export type EditorProblem = { where: string | null; message: string };

/**
 * The check of the JSON edited at `path`: the server's errors from POST `path`/check, read with `schema`,
 * each placed where `where` says. Make it once per api and path (useMemo): the editor checks again when it changes.
 */
export const checkAt =
  <E extends { message: string }>(
    api: ApiClient,
    schema: z.ZodType<{ errors: E[] }>,
    path: string,
    where: (error: E) => string | null,
  ) =>
  async (parsed: unknown): Promise<EditorProblem[]> =>
    (await api.call(schema, 'POST', `${path}/check`, parsed)).errors.map((e) => ({
      where: where(e),
      message: e.message,
    }));

/** A stored item as the editor shows it: without the fields the server keeps to itself. */
export const editableJson = ({ id: _id, tenantId: _t, type: _type, ...rest }: EditedJson): string =>
  JSON.stringify(rest, null, 2);

const describe = (p: EditorProblem) => (p.where ? `${p.where}: ${p.message}` : p.message);

function Problems({ title, problems }: { title?: string; problems: EditorProblem[] }) {
  const styles = useStyles();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title ?? (problems.length === 1 ? '1 error' : `${problems.length} errors`)}</MessageBarTitle>
        <ul className={styles.problems}>
          {problems.map((p, i) => (
            <li key={i}>{describe(p)}</li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * A JSON editor with live validation: a syntax error at once, the server's check shortly after typing
 * stops, and Save while there is nothing to fix. The page says how to check and how to save.
 */
export function JsonEditor(props: {
  /** The form's accessible name, e.g. "Workflow editor". */
  name: string;
  /** The label of the text box, e.g. "Workflow (JSON)". */
  label: string;
  hint?: string;
  initial: string;
  check: (parsed: unknown) => Promise<EditorProblem[]>;
  /** Saves the parsed JSON; a refusal is shown above the Save button, with its field problems. */
  save: (parsed: unknown) => Promise<unknown>;
  /** Shown under the check result, e.g. warnings of the last save. */
  children?: ReactNode;
  /** Shown next to the Save button. */
  aside?: ReactNode;
}) {
  const admin = useAdminStyles();
  const styles = useStyles();
  const { check, save: saveParsed } = props;
  const [text, setText] = useState(props.initial);
  const [problems, setProblems] = useState<EditorProblem[]>([]);
  const [syntax, setSyntax] = useState<string>();
  const [checking, setChecking] = useState(false);
  const save = useAction();
  const seq = useRef(0);

  useEffect(() => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
      setSyntax(undefined);
    } catch (err) {
      setSyntax(err instanceof Error ? err.message : 'Not valid JSON.');
      setProblems([]);
      return;
    }
    const mine = ++seq.current;
    const timer = setTimeout(() => {
      setChecking(true);
      check(parsed)
        .then((found) => {
          if (mine === seq.current) setProblems(found);
        })
        .catch((err: unknown) => {
          if (mine === seq.current)
            setProblems([{ where: null, message: err instanceof Error ? err.message : 'The check failed.' }]);
        })
        .finally(() => {
          if (mine === seq.current) setChecking(false);
        });
    }, 400);
    return () => clearTimeout(timer);
  }, [text, check]);

  const submit = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    await save.run(() => saveParsed(parsed));
  };
  const serverProblems = save.error?.problems ?? [];

  return (
    <form
      className={admin.card}
      aria-label={props.name}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field label={props.label} hint={props.hint} validationMessage={syntax ? `JSON: ${syntax}` : undefined}>
        <Textarea
          className={styles.editor}
          textarea={{ className: styles.editorArea }}
          value={text}
          spellCheck={false}
          resize="vertical"
          onChange={(_, d) => setText(d.value)}
        />
      </Field>
      <div role="status" aria-live="polite">
        {syntax ? null : checking ? (
          <Caption1>Checking…</Caption1>
        ) : problems.length === 0 ? (
          <MessageBar intent="success">
            <MessageBarBody>No errors.</MessageBarBody>
          </MessageBar>
        ) : (
          <Problems problems={problems} />
        )}
      </div>
      {props.children}
      {save.error && serverProblems.length === 0 && <ErrorBar error={save.error} />}
      {save.error && serverProblems.length > 0 && (
        <Problems
          title={`Not saved: ${save.error.message}`}
          problems={serverProblems.map((p) => ({ where: p.field || null, message: p.message }))}
        />
      )}
      <div className={admin.row}>
        <Button appearance="primary" type="submit" disabled={save.busy || syntax !== undefined || problems.length > 0}>
          {save.busy ? 'Saving…' : 'Save'}
        </Button>
        {props.aside}
      </div>
    </form>
  );
}
