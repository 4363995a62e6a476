/**
 * Notion's colours, written once. Select, multi-select and status options take `SelectColor`; annotations and
 * blocks take `ApiColor`, which adds a `_background` variant of every colour but `default`
 * [SDK: api-endpoints/common.d.ts `SelectColor`, `ApiColor`].
 */
export const SELECT_COLORS = [
  'default',
  'gray',
  'brown',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'red',
] as const;

export type SelectColor = (typeof SELECT_COLORS)[number];

/** Every annotation and block colour: the select colours plus `<colour>_background`. */
export const API_COLORS: readonly string[] = [
  ...SELECT_COLORS,
  ...SELECT_COLORS.filter((c) => c !== 'default').map((c) => `${c}_background`),
];

/**
 * Colours of a native Notion icon (`{type: "icon", icon: {name, color}}`): the select colours but `default`, plus
 * `lightgray` [SDK: api-endpoints/common.d.ts `NoticonColor`].
 */
export const NOTICON_COLORS: readonly string[] = [
  'lightgray',
  ...SELECT_COLORS.filter((c) => c !== 'default'),
];
