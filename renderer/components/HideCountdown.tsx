import { useEffect, useState, type ReactElement } from 'react';

/** Seconds left before a revealed value hides itself, ticking on screen. */
export function HideCountdown({ until }: { until: number }): ReactElement {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <span className="countdown" aria-label={`Hides in ${left} seconds`}>
      {left}s
    </span>
  );
}
