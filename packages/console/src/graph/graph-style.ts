/**
 * The graph's look: sensitivity colours (shared by canvas and legend) and the cytoscape stylesheet.
 * Colours follow the console palette so red always means "critical" everywhere.
 */
import type { Sensitivity } from '@keyward/sdk';
import type cytoscape from 'cytoscape';

/** Node fill by sensitivity; null = the node carries no sensitivity (identities, humans). */
export const SENSITIVITY_COLOURS: Record<Sensitivity | 'none', string> = {
  critical: '#c62828',
  high: '#d9730d',
  medium: '#2f6fd0',
  low: '#8a96a3',
  none: '#ffffff',
};

export const LEGEND: Array<{ key: Sensitivity | 'none'; label: string }> = [
  { key: 'critical', label: 'Critical' },
  { key: 'high', label: 'High' },
  { key: 'medium', label: 'Medium (internal)' },
  { key: 'low', label: 'Low (public)' },
  { key: 'none', label: 'No sensitivity (identity, human)' },
];

export function colourOf(sensitivity: Sensitivity | null | undefined): string {
  return SENSITIVITY_COLOURS[sensitivity ?? 'none'];
}

/** Node shape tells the node type apart without relying on colour alone. */
const SHAPES: Record<string, cytoscape.Css.NodeShape> = {
  identity: 'ellipse',
  human: 'round-rectangle',
  resource: 'round-diamond',
  system: 'hexagon',
  group: 'round-rectangle',
};

/**
 * `big` drops the costly bits for large drawings: ellipsis text measuring, bezier curves and
 * always-on edge labels (edge labels then show only on the highlighted path).
 */
export function graphStyle(big = false): cytoscape.StylesheetJson {
  const sheet: cytoscape.StylesheetJson = [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        'border-width': 1.5,
        'border-color': '#5d6b7a',
        shape: 'ellipse',
        label: 'data(label)',
        'font-size': 12,
        color: '#17202a',
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'ellipsis',
        'text-max-width': '140px',
        'min-zoomed-font-size': 7,
        width: 22,
        height: 22,
      },
    },
    // Plain selectors, not a style function: cytoscape caches these per class of node.
    ...Object.entries(SHAPES).map(([type, shape]) => ({
      selector: `node[type = "${type}"]`,
      style: { shape },
    })),
    { selector: 'node[type = "human"]', style: { width: 30, height: 22 } },
    {
      selector: 'node.focus',
      style: { 'border-width': 4, 'border-color': '#2456d6', width: 34, height: 34, 'font-weight': 'bold' },
    },
    {
      selector: 'node.group',
      style: {
        width: 'mapData(size, 1, 2000, 34, 90)',
        height: 'mapData(size, 1, 2000, 34, 90)',
        'border-style': 'double',
        'border-width': 4,
        'text-valign': 'center',
        'text-margin-y': 0,
        'font-weight': 'bold',
        'text-outline-color': '#fff',
        'text-outline-width': 2,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.2,
        'line-color': '#b8c1cc',
        'target-arrow-color': '#b8c1cc',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 9,
        color: '#5d6b7a',
        'text-rotation': 'autorotate',
        'text-background-color': '#fff',
        'text-background-opacity': 0.85,
        'text-background-padding': '1px',
        'min-zoomed-font-size': 8,
      },
    },
    { selector: 'edge.reversed', style: { 'line-style': 'dashed' } },
    { selector: 'edge.bundle', style: { width: 'mapData(size, 1, 500, 1.5, 8)' } },
    { selector: '.faded', style: { opacity: 0.18 } },
    {
      selector: 'node.hl',
      style: { 'border-color': '#17202a', 'border-width': 3, opacity: 1, 'z-index': 10 },
    },
    {
      selector: 'edge.hl',
      style: {
        'line-color': '#2456d6',
        'target-arrow-color': '#2456d6',
        width: 3.5,
        opacity: 1,
        'z-index': 10,
        color: '#17202a',
      },
    },
    { selector: 'node:selected', style: { 'overlay-color': '#2456d6', 'overlay-opacity': 0.18 } },
  ];
  if (!big) return sheet;
  return [
    ...sheet,
    { selector: 'node', style: { 'text-wrap': 'none', 'min-zoomed-font-size': 10 } },
    { selector: 'edge', style: { 'curve-style': 'straight', label: '', 'text-background-opacity': 0 } },
    {
      selector: 'edge.hl',
      style: { label: 'data(label)', 'text-background-opacity': 0.85 },
    },
  ];
}
