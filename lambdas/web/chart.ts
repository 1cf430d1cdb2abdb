// A bar chart as inline SVG, drawn on the server so it needs no script: one bar per period on a
// scale from 0 to `max`, and a dashed line at an aim. It is an image to assistive technology
// (role="img"), named and described by its <title> and <desc>; the words and numbers it shows are
// the caller's (a table beside it gives every figure). Colours and sizes come from classes in
// web/styles.scss: the Content-Security-Policy allows no inline style.
import { html, type Html } from './html';

export interface ChartBar {
  /** under the bar, e.g. "Nov" */
  readonly label: string;
  /** a second line under the label, e.g. the year under the first bar and under January */
  readonly sublabel?: string;
  /** no value: nothing to draw (the description says why) */
  readonly value?: number;
  /** drawn in outline with an asterisk above: a figure to read with care (from few cases, say) */
  readonly marked?: boolean;
}

export interface BarChart {
  /** unique on the page: the ids of the title and description start with it */
  readonly id: string;
  readonly title: string;
  /** what the chart shows, in words, for whoever cannot see it */
  readonly description: string;
  readonly bars: readonly ChartBar[];
  /** the top of the scale, e.g. 100 for a share in per cent */
  readonly max: number;
  /** the values marked on the scale, with how each reads, e.g. [0, "0%"] */
  readonly ticks: readonly (readonly [value: number, label: string])[];
  /** a line across the bars: the aim, say */
  readonly target?: { readonly value: number; readonly label: string };
}

// the drawing's own units: the SVG scales to the width of its column
const WIDTH = 640;
const HEIGHT = 300;
const LEFT = 64;
const RIGHT = 8;
const TOP = 28;
const BOTTOM = 48;

const round = (n: number) => Math.round(n * 10) / 10;

export function barChart(chart: BarChart): Html {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const baseline = TOP + plotHeight;
  const y = (value: number) => round(baseline - (Math.max(0, Math.min(value, chart.max)) / chart.max) * plotHeight);
  const slot = plotWidth / Math.max(1, chart.bars.length);
  const barWidth = round(slot * 0.64);
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const grid = chart.ticks.map(
    ([value, label]) =>
      html`<line class="app-chart__grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(value)}" y2="${y(value)}"></line><text class="app-chart__tick" x="${LEFT - 6}" y="${y(value)}" text-anchor="end" dominant-baseline="middle">${label}</text>`,
  );
  const bars = chart.bars.map((bar, i) => {
    const middle = round(LEFT + slot * i + slot / 2);
    const left = round(middle - barWidth / 2);
    const labels = html`<text class="app-chart__label" x="${middle}" y="${baseline + 18}" text-anchor="middle">${bar.label}</text>${
      bar.sublabel ? html`<text class="app-chart__label" x="${middle}" y="${baseline + 38}" text-anchor="middle">${bar.sublabel}</text>` : html``
    }`;
    if (bar.value === undefined) return html`<text class="app-chart__none" x="${middle}" y="${baseline - 6}" text-anchor="middle">–</text>${labels}`;
    const top = y(bar.value);
    return html`<rect class="app-chart__bar${bar.marked ? ' app-chart__bar--marked' : ''}" x="${left}" y="${top}" width="${barWidth}" height="${round(baseline - top)}"></rect>${
      bar.marked ? html`<text class="app-chart__mark" x="${middle}" y="${top - 6}" text-anchor="middle">*</text>` : html``
    }${labels}`;
  });
  const target = chart.target
    ? html`<line class="app-chart__target" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(chart.target.value)}" y2="${y(chart.target.value)}"></line><text class="app-chart__target-label" x="${WIDTH - RIGHT}" y="${y(chart.target.value) - 8}" text-anchor="end">${chart.target.label}</text>`
    : html``;
  return html`<svg class="app-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${titleId} ${descId}" focusable="false" xmlns="http://www.w3.org/2000/svg"><title id="${titleId}">${chart.title}</title><desc id="${descId}">${chart.description}</desc>${grid}<line class="app-chart__axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${baseline}" y2="${baseline}"></line>${bars}${target}</svg>`;
}
