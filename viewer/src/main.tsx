import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { auth, sessionStore } from './app/services.js';
import { installDebugHooks } from './debugHooks.js';
import './styles.css';

installDebugHooks(
  () => sessionStore.get(),
  () => auth.freshAccessToken(),
);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
