export { FUNNEL_STAGES, markFunnel, recordUnfoundSearch, unfoundQuery, utcDay, UNFOUND_QUERY_MAX, type FunnelStage } from './funnel-marks.ts';
export { funnelByDay, lastDays, unfoundSearches, type FunnelDay, type UnfoundSearchCount } from './funnel-report.ts';
