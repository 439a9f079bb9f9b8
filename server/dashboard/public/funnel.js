// The funnel tab: per day, the conversations started, and those that found the shop, viewed, added, checked out and paid (uPlot),
// and the searches at the shop that found nothing.
import uPlot from '/dashboard/vendor/uplot.js';
import { api } from './api.js';
import { fill, h } from './dom.js';
import { count, shortDay, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const STAGES = ['started', 'found', 'viewed', 'added', 'checkout', 'paid'];
const COLOURS = ['#cbd5e1', '#94a3b8', '#60a5fa', '#f59e0b', '#a855f7', '#16a34a'];

export class FunnelTab {
  constructor({ days = 14 } = {}) {
    this.days = days;
    this.data = undefined;
    this.chart = undefined;
    new ResizeObserver(() => this.resize()).observe($('funnel-chart'));
  }

  async refresh() {
    const [funnel, unfound] = await Promise.all([api(`/funnel?days=${this.days}`), api(`/searches/unfound?days=${this.days}&limit=15`)]);
    this.data = funnel.days;
    this.unfound = unfound.searches;
    this.render();
  }

  render() {
    if (!this.data) return;
    const totals = Object.fromEntries(STAGES.map((s) => [s, this.data.reduce((n, d) => n + d[s], 0)]));
    fill($('funnel-totals'), STAGES.map((s, i) => h('div', { class: 'total', dataset: { stage: s } },
      h('span', { class: 'swatch', style: undefined, dataset: { colour: i } }), h('strong', {}, count(totals[s])), h('span', {}, t(`funnel.stage.${s}`)))));
    this.draw();
    $('unfound-empty').hidden = this.unfound.length > 0;
    $('unfound-list').hidden = this.unfound.length === 0;
    fill($('unfound-list'), this.unfound.map((s) => h('li', {}, h('span', {}, s.query), h('span', { class: 'muted' }, t('unfound.times', { count: s.count, formatted: count(s.count) })))));
  }

  draw() {
    const box = $('funnel-chart');
    this.chart?.destroy();
    const days = this.data.map((d) => d.day);
    const options = {
      width: Math.max(280, box.clientWidth), height: 260,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
      axes: [
        { values: (_u, ticks) => ticks.map((i) => (days[i] ? shortDay(days[i]) : '')), space: 48 },
        { values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? count(v) : '')) },
      ],
      series: [{ label: t('funnel.day'), value: (_u, i) => (i === null || days[i] === undefined ? '' : shortDay(days[i])) },
        // Later stages are drawn over earlier ones, a little thicker, so equal counts still show the furthest stage reached.
        ...STAGES.map((s, i) => ({ label: t(`funnel.stage.${s}`), stroke: COLOURS[i], width: 2 + i * 0.5, points: { size: 5 + i } }))],
      legend: { live: false },
    };
    const data = [days.map((_d, i) => i), ...STAGES.map((s) => this.data.map((d) => d[s]))];
    this.chart = new uPlot(options, data, box);
  }

  resize() {
    if (this.chart) this.chart.setSize({ width: Math.max(280, $('funnel-chart').clientWidth), height: 260 });
  }
}
