import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi } from './api';

// Only wiring: the renderer gets the contract-built API, and listeners get payloads, never the IpcRendererEvent
// (which would hand the page `sender`, an ipcRenderer).
contextBridge.exposeInMainWorld(
  'latchkey',
  createApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    on(channel, listener) {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => {
        ipcRenderer.removeListener(channel, wrapped);
      };
    },
  }),
);
