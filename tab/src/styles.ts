import { type GriffelStyle, tokens } from '@fluentui/react-components';

/** The style pieces the pages of the tab share; each page's makeStyles builds on them. */

/** Children stacked top to bottom, `gap` apart. */
export const column = (gap: string): GriffelStyle => ({ display: 'flex', flexDirection: 'column', gap });

/** A page of content: padded, its parts stacked `gap` apart. */
export const page = (gap: string): GriffelStyle => ({ padding: tokens.spacingHorizontalXL, ...column(gap) });

/** A raised card on the page: a form, a section. */
export const card: GriffelStyle = {
  ...column(tokens.spacingVerticalM),
  padding: tokens.spacingHorizontalL,
  backgroundColor: tokens.colorNeutralBackground1,
  borderRadius: tokens.borderRadiusMedium,
  boxShadow: tokens.shadow2,
};

/** A list without bullets or indent, its items stacked `gap` apart. */
export const plainList = (gap: string): GriffelStyle => ({ listStyle: 'none', margin: 0, padding: 0, ...column(gap) });

/** A bar across the top of an area: its items in a row, on the card colour, a line below. */
export const headerBar = (verticalPadding: string): GriffelStyle => ({
  display: 'flex',
  alignItems: 'center',
  gap: tokens.spacingHorizontalM,
  padding: `${verticalPadding} ${tokens.spacingHorizontalL}`,
  backgroundColor: tokens.colorNeutralBackground1,
  borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
});
