/** @module The embedded admin's browser entry: Polaris' provider, App Bridge's session token. */
import { AppProvider } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './admin-app.tsx';
import { createAdminClient } from './admin-client.ts';

declare global {
  interface Window {
    shopify?: { idToken(): Promise<string> };
  }
}

/** App Bridge's fresh token when it is loaded; the `id_token` Shopify adds to the URL otherwise. */
const token = async (): Promise<string> =>
  window.shopify
    ? window.shopify.idToken()
    : (new URLSearchParams(window.location.search).get('id_token') ?? '');

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <AppProvider i18n={en}>
      <AdminApp client={createAdminClient(token)} />
    </AppProvider>,
  );
}
