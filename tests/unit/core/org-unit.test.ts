import { unitAncestry, validateUnitTree } from '../../../bot/src/core/model';

describe('organization unit tree', () => {
  const tree = [
    { id: 'root', parentId: null },
    { id: 'sales', parentId: 'root' },
    { id: 'sales-emea', parentId: 'sales' },
  ];

  it('accepts a tree', () => {
    expect(validateUnitTree(tree)).toEqual([]);
  });

  it('reports a parent that does not exist', () => {
    expect(validateUnitTree([...tree, { id: 'x', parentId: 'ghost' }])).toEqual([
      { code: 'unknown-parent', unitId: 'x', parentId: 'ghost' },
    ]);
  });

  it('reports a cycle once, and a forest without a root', () => {
    const cyclic = [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a' },
    ];
    expect(validateUnitTree(cyclic)).toEqual([{ code: 'no-root' }, { code: 'cycle', unitIds: ['a', 'b'] }]);
  });

  it('lists a unit and its ancestors, nearest first', () => {
    expect(unitAncestry(tree, 'sales-emea')).toEqual(['sales-emea', 'sales', 'root']);
    expect(unitAncestry(tree, 'unknown')).toEqual([]);
  });
});
