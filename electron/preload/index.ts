// Preload: exposes exactly the contract to the renderer through contextBridge.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('pprofStudio', { version: '0.1.0' });
