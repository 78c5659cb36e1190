import './csp.ts';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createQueryClient } from './api/queryClient.ts';
import { captureTokenFromHash } from './api/hashToken.ts';
import { applyTheme, storedTheme } from './components/ThemeToggle.tsx';
import './styles.css';

captureTokenFromHash(window.location, window.history);
applyTheme(storedTheme());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
