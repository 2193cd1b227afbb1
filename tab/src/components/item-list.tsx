import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Loaded } from '../use-load';
import { Empty, ErrorBar, Loading } from './status';

/** What a list reads of its load. */
export type LoadState = Pick<Loaded<unknown>, 'data' | 'error' | 'reload'>;

/** Items with an id are keyed by it; others name their key. */
type RowKey<T> = T extends { id: string } ? { rowKey?: (item: T) => string } : { rowKey: (item: T) => string };

/**
 * A loaded list as a table: the load error (with Retry), the loading state, the empty state, then the
 * table of the items, one row each. `actions` adds a last column of row buttons.
 */
export function ItemList<T>({
  list,
  items,
  loadingLabel,
  emptyTitle,
  emptyText,
  notDeleted,
  label,
  columns,
  cells,
  actions,
  rowKey = (item) => (item as { id: string }).id,
}: {
  list: LoadState;
  items: T[] | undefined;
  loadingLabel: string;
  emptyTitle: string;
  emptyText?: ReactNode;
  /** Shown between the load error and the loading state, e.g. the error of a refused delete. */
  notDeleted?: ReactNode;
  /** The table's accessible name. */
  label: string;
  columns: string[];
  cells: (item: T) => ReactNode[];
  actions?: (item: T) => ReactNode;
} & RowKey<T>) {
  return (
    <>
      {list.error && <ErrorBar error={list.error} onRetry={() => void list.reload()} />}
      {notDeleted}
      {!list.data && !list.error && <Loading label={loadingLabel} />}
      {items && items.length === 0 && <Empty title={emptyTitle}>{emptyText}</Empty>}
      {items && items.length > 0 && (
        <Table aria-label={label} size="small">
          <TableHeader>
            <TableRow>
              {columns.map((c) => (
                <TableHeaderCell key={c}>{c}</TableHeaderCell>
              ))}
              {actions && (
                <TableHeaderCell>
                  <span className="visually-hidden">Actions</span>
                </TableHeaderCell>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((item) => (
              <TableRow key={rowKey(item)}>
                {cells(item).map((cell, i) => (
                  <TableCell key={i}>{cell}</TableCell>
                ))}
                {actions && <TableCell>{actions(item)}</TableCell>}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
