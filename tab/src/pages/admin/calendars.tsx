import { Caption1, Field, Input, Textarea } from '@fluentui/react-components';
import { Calendar, Calendars } from '../../../../bot/src/contracts';
import { ItemList } from '../../components/item-list';
import { ErrorBar } from '../../components/status';
import {
  AdminPage,
  DeleteError,
  ItemEditor,
  NameField,
  NewItemButton,
  RowActions,
  UnitField,
  useAdminStyles,
  useUnitItems,
} from './admin-ui';

const days = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
type Day = (typeof days)[number][0];

type Draft = {
  id: string | undefined;
  name: string;
  unitId: string;
  timeZone: string;
  weekly: Record<Day, string>;
  holidays: string;
  specialDays: Calendar['specialDays'];
};

const rangesText = (ranges: { from: string; to: string }[]) => ranges.map((r) => `${r.from}-${r.to}`).join(', ');
const parseRanges = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const [from = '', to = ''] = s.split('-').map((x) => x.trim());
      return { from, to };
    });

const draftOf = (c: Calendar): Draft => ({
  id: c.id,
  name: c.name,
  unitId: c.unitId,
  timeZone: c.timeZone,
  weekly: Object.fromEntries(
    days.map(([d]) => [d, rangesText(c.weekly.find((w) => w.day === d)?.ranges ?? [])]),
  ) as Record<Day, string>,
  holidays: c.holidays.map((h) => `${h.date} ${h.name}`).join('\n'),
  specialDays: c.specialDays,
});
const blank = (unitId: string): Draft => ({
  id: undefined,
  name: '',
  unitId,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  weekly: {
    mon: '08:00-17:00',
    tue: '08:00-17:00',
    wed: '08:00-17:00',
    thu: '08:00-17:00',
    fri: '08:00-17:00',
    sat: '',
    sun: '',
  },
  holidays: '',
  specialDays: [],
});

/** Opening hours: weekly hours in a time zone and holidays, used by the Check Opening Hours activity. */
export function CalendarsPage() {
  const styles = useAdminStyles();
  const { list, units, draft, setDraft, startNew, save, saveDraft, remove, deleteItem } = useUnitItems({
    label: 'Opening hours',
    path: '/admin/calendars',
    list: Calendars,
    item: Calendar,
    blank,
  });
  const problems = save.error?.problems ?? [];
  const problemOf = (prefix: string) =>
    problems.find((p) => p.field === prefix || p.field.startsWith(`${prefix}.`))?.message;

  const submit = (d: Draft) =>
    saveDraft(d.id, {
      name: d.name,
      unitId: d.unitId,
      timeZone: d.timeZone,
      weekly: days.map(([day]) => ({ day, ranges: parseRanges(d.weekly[day]) })).filter((w) => w.ranges.length > 0),
      specialDays: d.specialDays,
      holidays: d.holidays
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0)
        .map((l) => ({ date: l.slice(0, 10), name: l.slice(10).trim() || 'Holiday' })),
    });

  return (
    <AdminPage title="Opening hours" description="Calendars that workflows check with Check Opening Hours.">
      <ItemList
        list={list}
        items={list.data?.items}
        notDeleted={<DeleteError remove={remove} />}
        loadingLabel="Loading opening hours…"
        emptyTitle="No opening hours yet"
        label="Opening hours"
        columns={['Name', 'Time zone', 'Week']}
        cells={(c) => [c.name, c.timeZone, c.weekly.map((w) => `${w.day} ${rangesText(w.ranges)}`).join('; ')]}
        actions={(c) => (
          <RowActions name={c.name} onEdit={() => setDraft(draftOf(c))} onDelete={() => void deleteItem(c)} />
        )}
      />
      {!draft && (
        <NewItemButton disabled={!units.data} onClick={startNew}>
          New opening hours
        </NewItemButton>
      )}
      {draft && (
        <ItemEditor
          headingId="cal-form"
          heading={draft.id ? 'Edit opening hours' : 'New opening hours'}
          onSubmit={() => void submit(draft)}
          save={save}
          errorInFields={problems.length > 0}
          onCancel={() => setDraft(undefined)}
        >
          <div className={styles.row}>
            <NameField
              value={draft.name}
              onChange={(name) => setDraft({ ...draft, name })}
              className={styles.grow}
              validationMessage={problemOf('name')}
            />
            <UnitField
              units={units.data?.items}
              value={draft.unitId}
              onChange={(unitId) => setDraft({ ...draft, unitId })}
            />
            <Field label="Time zone" required validationMessage={problemOf('timeZone')}>
              <Input value={draft.timeZone} onChange={(_, d) => setDraft({ ...draft, timeZone: d.value })} />
            </Field>
          </div>
          <Caption1>Hours as HH:MM-HH:MM, several separated by commas; leave a day empty when closed.</Caption1>
          {days.map(([day, label]) => (
            <Field key={day} label={label} orientation="horizontal">
              <Input
                value={draft.weekly[day]}
                placeholder="Closed"
                onChange={(_, d) => setDraft({ ...draft, weekly: { ...draft.weekly, [day]: d.value } })}
              />
            </Field>
          ))}
          {problemOf('weekly') && <ErrorBar error={save.error!} />}
          <Field label="Holidays" hint="One per line: YYYY-MM-DD and a name." validationMessage={problemOf('holidays')}>
            <Textarea value={draft.holidays} rows={3} onChange={(_, d) => setDraft({ ...draft, holidays: d.value })} />
          </Field>
        </ItemEditor>
      )}
    </AdminPage>
  );
}
