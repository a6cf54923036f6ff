// Colours of the timeline per theme (span classes of core/trace/timeline-classes, in order),
// matching the app's light and dark variables (styles/app.css).
import type { ThemeName } from './palette';

export interface TimelineTheme {
  name: ThemeName;
  background: string;
  /** Every other lane. */
  laneAlt: string;
  /** Fill per span class: running, runnable, syscall, blocked sync/net/sleep/GC/other, GC worker. */
  classes: string[];
  /** Label text drawn on spans. */
  spanText: string;
  gcBand: string;
  gcStrip: string;
  stwBand: string;
  stwStrip: string;
  selectStroke: string;
  hoverLane: string;
  marker: string;
  axisText: string;
  axisLine: string;
  splitLine: string;
  heapLine: string;
  heapArea: string;
  goalLine: string;
  /** Goroutine count areas: running, runnable, syscall, waiting. */
  counts: string[];
  sliderFill: string;
  sliderBorder: string;
  /** User annotations on goroutine lanes: regions, tasks, log marks. */
  region: string;
  task: string;
  log: string;
}

export const TIMELINE_THEMES: Record<ThemeName, TimelineTheme> = {
  light: {
    name: 'light',
    background: '#ffffff',
    laneAlt: '#f6f8fa',
    classes: [
      '#2f9e44',
      '#e3b341',
      '#7048e8',
      '#e8590c',
      '#1c7ed6',
      '#adb5bd',
      '#ae3ec9',
      '#ced4da',
      '#0c8599',
    ],
    spanText: '#ffffff',
    gcBand: 'rgba(174, 62, 201, 0.09)',
    gcStrip: '#ae3ec9',
    stwBand: 'rgba(224, 49, 49, 0.16)',
    stwStrip: '#e03131',
    selectStroke: '#1f2328',
    hoverLane: 'rgba(11, 87, 208, 0.07)',
    marker: '#0b57d0',
    axisText: '#57606a',
    axisLine: '#d0d7de',
    splitLine: '#eef1f4',
    heapLine: '#1c7ed6',
    heapArea: 'rgba(28, 126, 214, 0.18)',
    goalLine: '#e8590c',
    counts: ['#2f9e44', '#e3b341', '#7048e8', '#adb5bd'],
    sliderFill: 'rgba(11, 87, 208, 0.12)',
    sliderBorder: '#b9c1ca',
    region: '#c2255c',
    task: '#343a40',
    log: '#0b57d0',
  },
  dark: {
    name: 'dark',
    background: '#16181d',
    laneAlt: '#1c1f25',
    classes: [
      '#40c057',
      '#d4a72c',
      '#9775fa',
      '#fd7e14',
      '#4dabf7',
      '#5c636e',
      '#cc5de8',
      '#3d434c',
      '#22b8cf',
    ],
    spanText: '#0d1117',
    gcBand: 'rgba(204, 93, 232, 0.10)',
    gcStrip: '#cc5de8',
    stwBand: 'rgba(255, 107, 107, 0.17)',
    stwStrip: '#ff6b6b',
    selectStroke: '#ffffff',
    hoverLane: 'rgba(124, 180, 255, 0.08)',
    marker: '#7cb4ff',
    axisText: '#9aa4b2',
    axisLine: '#30353d',
    splitLine: '#23272e',
    heapLine: '#4dabf7',
    heapArea: 'rgba(77, 171, 247, 0.2)',
    goalLine: '#fd7e14',
    counts: ['#40c057', '#d4a72c', '#9775fa', '#5c636e'],
    sliderFill: 'rgba(124, 180, 255, 0.15)',
    sliderBorder: '#434a55',
    region: '#f06595',
    task: '#dee2e6',
    log: '#7cb4ff',
  },
};
