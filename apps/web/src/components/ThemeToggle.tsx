import { useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const KEY = 'aviary.theme';
const order: Theme[] = ['system', 'light', 'dark'];

export function storedTheme(): Theme {
  const value = globalThis.localStorage?.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/** System (prefers-color-scheme), light or dark; remembered in this browser. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const next = order[(order.indexOf(theme) + 1) % order.length] ?? 'system';
  const change = () => {
    setTheme(next);
    applyTheme(next);
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  };
  return (
    <button type="button" onClick={change} aria-label={`Theme: ${theme}. Switch to ${next}`}>
      Theme: {theme}
    </button>
  );
}
