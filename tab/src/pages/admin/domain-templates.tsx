import {
  Button,
  Caption1,
  Field,
  Input,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import { DomainTemplate, DomainTemplates } from '../../../../bot/src/contracts';
import { Empty, ErrorBar, Loading } from '../../components/status';
import { useApp } from '../../context';
import { useLoad } from '../../use-load';
import { AdminPage, UnitField, useAdminStyles, useItemEditor, useUnits } from './admin-ui';

type Draft = { id: string | undefined; name: string; unitId: string; origins: string };
const blank = (unitId: string): Draft => ({ id: undefined, name: '', unitId, origins: '' });

/** Interact domain templates (CORS): the websites a restricted widget may appear on. */
export function DomainTemplatesPage() {
  const styles = useAdminStyles();
  const { api } = useApp();
  const list = useLoad(() => api.get(DomainTemplates, '/admin/domain-templates'), [api]);
  const units = useUnits();
  const [draft, setDraft] = useState<Draft>();
  const { save, remove, saveItem, deleteItem } = useItemEditor({
    label: 'Domain template',
    path: '/admin/domain-templates',
    schema: DomainTemplate,
    reload: () => list.reload(),
  });
  const unitName = (id: string) => units.data?.items.find((u) => u.id === id)?.name ?? id;
  const problems = new Map((save.error?.problems ?? []).map((p) => [p.field.split('.')[0], p.message]));

  const submit = async (d: Draft) => {
    const body = {
      name: d.name,
      unitId: d.unitId,
      origins: d.origins.split(/\s*[\n,]\s*/).filter((o) => o.length > 0),
    };
    if (await saveItem(d.id, body)) setDraft(undefined);
  };

  return (
    <AdminPage
      title="Domain templates"
      description="Whitelists of websites (origins such as https://www.example.com or https://*.example.com). Users and services of the same organization unit select them when Restrict Access is on."
    >
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {remove.error && <ErrorBar error={remove.error} title="Not deleted" onDismiss={remove.clear} />}
      {!list.data && !list.error && <Loading label="Loading domain templates…" />}
      {list.data && list.data.items.length === 0 && (
        <Empty title="No domain templates yet">
          Create one to let users and services restrict their widget to your websites.
        </Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="Domain templates" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Organization unit</TableHeaderCell>
              <TableHeaderCell>Websites</TableHeaderCell>
              <TableHeaderCell>
                <span className="visually-hidden">Actions</span>
              </TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.items.map((t) => (
              <TableRow key={t.id}>
                <TableCell>{t.name}</TableCell>
                <TableCell>{unitName(t.unitId)}</TableCell>
                <TableCell>{t.origins.join(', ')}</TableCell>
                <TableCell>
                  <div className={styles.row}>
                    <Button
                      size="small"
                      onClick={() =>
                        setDraft({ id: t.id, name: t.name, unitId: t.unitId, origins: t.origins.join('\n') })
                      }
                      aria-label={`Edit ${t.name}`}
                    >
                      Edit
                    </Button>
                    <Button
                      size="small"
                      disabled={remove.busy}
                      onClick={() => void deleteItem(t)}
                      aria-label={`Delete ${t.name}`}
                    >
                      Delete
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {!draft && (
        <div>
          <Button
            appearance="primary"
            disabled={!units.data}
            onClick={() => setDraft(blank(units.data?.items[0]?.id ?? ''))}
          >
            New domain template
          </Button>
        </div>
      )}
      {draft && (
        <form
          className={styles.card}
          aria-labelledby="dt-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(draft);
          }}
        >
          <Subtitle2 block as="h2" id="dt-form">
            {draft.id ? 'Edit domain template' : 'New domain template'}
          </Subtitle2>
          <Field label="Name" required validationMessage={problems.get('name')}>
            <Input value={draft.name} onChange={(_, d) => setDraft({ ...draft, name: d.value })} />
          </Field>
          <UnitField
            units={units.data?.items}
            value={draft.unitId}
            onChange={(unitId) => setDraft({ ...draft, unitId })}
            validationMessage={problems.get('unitId')}
          />
          <Field
            label="Websites"
            required
            hint="One origin per line: scheme, host and optional port, no path."
            validationMessage={problems.get('origins')}
          >
            <Textarea value={draft.origins} rows={4} onChange={(_, d) => setDraft({ ...draft, origins: d.value })} />
          </Field>
          {save.error && problems.size === 0 && <ErrorBar error={save.error} />}
          <Caption1>Changes apply to restricted widgets at once.</Caption1>
          <div className={styles.row}>
            <Button appearance="primary" type="submit" disabled={save.busy}>
              Save
            </Button>
            <Button
              onClick={() => {
                save.clear();
                setDraft(undefined);
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      )}
    </AdminPage>
  );
}
