import { contextBridge } from 'electron';

// The bridge grows from the IPC contract with the desktop-app work; for now it only says which build this is.
contextBridge.exposeInMainWorld('latchkey', Object.freeze({ shell: 'bare' }));
