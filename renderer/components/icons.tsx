import type { ReactElement, SVGProps } from 'react';

/**
 * Inline SVG icons (no icon font, no library): 24-unit line drawings that inherit `currentColor`.
 * They are decorative by default; the control or badge beside them carries the words.
 */
const PATHS = {
  key: ['M2.5 21.5l8.1-8.1', 'M16 8.5l2.5 2.5', 'M13.5 11l2.5-2.5', 'circle:15.5 8.5 5'],
  folder: [
    'M3 7.5A1.5 1.5 0 0 1 4.5 6h4.1l2 2.2h8.9A1.5 1.5 0 0 1 21 9.7v8.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z',
  ],
  'folder-plus': [
    'M3 7.5A1.5 1.5 0 0 1 4.5 6h4.1l2 2.2h8.9A1.5 1.5 0 0 1 21 9.7v8.8a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z',
    'M12 11.5v5',
    'M9.5 14h5',
  ],
  cloud: ['M7 18.5a4.5 4.5 0 0 1-.6-8.96A6 6 0 0 1 18 9.5a4.5 4.5 0 0 1-.5 9z'],
  user: ['circle:12 8 4', 'M4.5 20.5a7.5 7.5 0 0 1 15 0'],
  gauge: ['M12 14l3.5-4.5', 'M3.5 17a9 9 0 1 1 17 0', 'circle:12 14 1.2'],
  history: ['M3.5 12a8.5 8.5 0 1 0 2.5-6', 'M3.5 4v4h4', 'M12 7.5V12l3 2'],
  settings: [
    'circle:12 12 3',
    'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
  ],
  search: ['circle:11 11 6.5', 'M20.5 20.5l-4.8-4.8'],
  check: ['M5 12.5l4.5 4.5L19 7.5'],
  'check-circle': ['circle:12 12 9', 'M8 12.3l2.7 2.7L16 9.7'],
  'arrow-down': ['M12 5v14', 'M6 13l6 6 6-6'],
  'arrow-up': ['M12 19V5', 'M6 11l6-6 6 6'],
  plus: ['M12 5v14', 'M5 12h14'],
  minus: ['M5 12h14'],
  pencil: ['M4 20h4L18.5 9.5a2.1 2.1 0 0 0-4-4L4 16z', 'M13.5 6.5l4 4'],
  conflict: ['M6 3v6a6 6 0 0 0 6 6h0', 'M18 3v6a6 6 0 0 1-6 6', 'M12 15v6'],
  dot: ['circle:12 12 3.5'],
  error: ['circle:12 12 9', 'M12 7.5v5.5', 'M12 16.5v.01'],
  clock: ['circle:12 12 9', 'M12 7v5l3 2'],
  question: ['circle:12 12 9', 'M9.5 9.5a2.6 2.6 0 0 1 5 .9c0 1.7-2.5 2.3-2.5 4', 'M12 17v.01'],
  eye: ['M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z', 'circle:12 12 3'],
  'eye-off': [
    'M3 3l18 18',
    'M10.6 5.6A9.9 9.9 0 0 1 12 5.5c6 0 9.5 6.5 9.5 6.5a17 17 0 0 1-2.6 3.4',
    'M6.5 6.6C3.9 8.3 2.5 12 2.5 12S6 18.5 12 18.5c1.7 0 3.2-.5 4.5-1.3',
    'M9.9 9.9a3 3 0 0 0 4.2 4.2',
  ],
  copy: [
    'M9 9.5A1.5 1.5 0 0 1 10.5 8h8A1.5 1.5 0 0 1 20 9.5v9a1.5 1.5 0 0 1-1.5 1.5h-8A1.5 1.5 0 0 1 9 18.5z',
    'M15 8V5.5A1.5 1.5 0 0 0 13.5 4h-8A1.5 1.5 0 0 0 4 5.5v9A1.5 1.5 0 0 0 5.5 16H9',
  ],
  diff: ['M6 4v10', 'M1 9h10', 'M13 19h10', 'M14 4l6 16'],
  plan: ['M9 6h11', 'M9 12h11', 'M9 18h11', 'M4 6h.01', 'M4 12h.01', 'M4 18h.01'],
  sync: [
    'M20.5 9A8.5 8.5 0 0 0 5 6.5L3.5 8',
    'M3.5 3.5V8H8',
    'M3.5 15A8.5 8.5 0 0 0 19 17.5l1.5-1.5',
    'M20.5 20.5V16H16',
  ],
  x: ['M6 6l12 12', 'M18 6L6 18'],
  'chevron-right': ['M9.5 6l6 6-6 6'],
  'chevron-down': ['M6 9.5l6 6 6-6'],
  'chevron-up': ['M6 14.5l6-6 6 6'],
  trash: ['M4 7h16', 'M9.5 7V4.5h5V7', 'M6 7l1 13h10l1-13', 'M10 11v5', 'M14 11v5'],
  shield: ['M12 3l8 3v5.5c0 4.6-3.4 8.4-8 9.5-4.6-1.1-8-4.9-8-9.5V6z', 'M8.8 12l2.2 2.2 4.2-4.4'],
  warning: ['M10.3 4.2a2 2 0 0 1 3.4 0l7.6 13.2a2 2 0 0 1-1.7 3H4.4a2 2 0 0 1-1.7-3z', 'M12 9.5v4', 'M12 17v.01'],
  info: ['circle:12 12 9', 'M12 11v5.5', 'M12 7.5v.01'],
  terminal: [
    'M4.5 4h15A1.5 1.5 0 0 1 21 5.5v13a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5v-13A1.5 1.5 0 0 1 4.5 4z',
    'M7 9l3 3-3 3',
    'M12.5 15H17',
  ],
  lock: ['M6 10.5h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z', 'M8 10.5V7.5a4 4 0 0 1 8 0v3'],
  sun: [
    'circle:12 12 4',
    'M12 2.5v2',
    'M12 19.5v2',
    'M4.6 4.6l1.4 1.4',
    'M18 18l1.4 1.4',
    'M2.5 12h2',
    'M19.5 12h2',
    'M4.6 19.4L6 18',
    'M18 6l1.4-1.4',
  ],
  moon: ['M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z'],
  monitor: [
    'M3.5 4.5h17a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1h-17a1 1 0 0 1-1-1v-10a1 1 0 0 1 1-1z',
    'M8 20.5h8',
    'M12 16.5v4',
  ],
  external: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5'],
  file: ['M14 3H7a1.5 1.5 0 0 0-1.5 1.5v15A1.5 1.5 0 0 0 7 21h10a1.5 1.5 0 0 0 1.5-1.5V7.5z', 'M14 3v4.5h4.5'],
  layers: ['M12 3l9 5-9 5-9-5z', 'M3 13l9 5 9-5'],
  command: ['M9 6a3 3 0 1 0-3 3h12a3 3 0 1 0-3-3v12a3 3 0 1 0 3-3H6a3 3 0 1 0 3 3z'],
  grip: ['circle:9 6 1', 'circle:15 6 1', 'circle:9 12 1', 'circle:15 12 1', 'circle:9 18 1', 'circle:15 18 1'],
  filter: ['M3.5 5h17l-6.5 7.5V19l-4 1.5v-8z'],
  refresh: ['M20.5 12a8.5 8.5 0 1 1-2.5-6', 'M20.5 3.5V8H16'],
  sidebar: ['M4 5h16v14H4z', 'M9.5 5v14'],
  'git-branch': ['circle:6 18 2.5', 'circle:6 6 2.5', 'circle:18 8 2.5', 'M6 8.5v7', 'M18 10.5c0 4-4 4-10 6'],
} as const;

export type IconId = keyof typeof PATHS;

export function Icon({
  name,
  size = 16,
  ...rest
}: { name: IconId; size?: number } & Omit<SVGProps<SVGSVGElement>, 'name'>): ReactElement {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className="icon"
      {...rest}
    >
      {PATHS[name].map((d) => {
        if (d.startsWith('circle:')) {
          const [cx, cy, r] = d.slice(7).split(' ').map(Number);
          return <circle key={d} cx={cx} cy={cy} r={r} />;
        }
        return <path key={d} d={d} />;
      })}
    </svg>
  );
}

/** The app mark: a key inside a rounded square, drawn in the accent colour. */
export function LogoMark({ size = 22 }: { size?: number }): ReactElement {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo-mark">
      <rect x="1" y="1" width="30" height="30" rx="8" className="logo-mark-bg" />
      <g
        fill="none"
        stroke="currentColor"
        strokeWidth="2.4"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="logo-mark-fg"
      >
        <circle cx="19.5" cy="12.5" r="4.5" />
        <path d="M16.3 15.7L9 23" />
        <path d="M11 21l2.5 2.5" />
        <path d="M13.5 18.5l2 2" />
      </g>
    </svg>
  );
}
