// The React app replaces this entry with the desktop-app work.
document.documentElement.dataset.ready = 'true';
