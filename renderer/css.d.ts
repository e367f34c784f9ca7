// Vite bundles the stylesheets imported by main.tsx into one CSS file served from 'self' (the CSP allows no inline style).
declare module '*.css';
