/** The company `GET /v1/companies/current` answers with. */
export interface LightCompany {
  id: string;
  name: string;
  invoiceEmail: string;
  receiptEmail: string;
  contractEmail: string;
  logoUrl: string | null;
  baseCurrency: string;
  createdAt: string;
  updatedAt: string;
}

/** One record of `GET /v1/users`. The field set beyond `id` is our assumption; Light documents only the list shape. */
export interface LightUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: 'ACTIVE' | 'INVITED' | 'DEACTIVATED';
  createdAt: string;
  updatedAt: string;
}

/** The seeded company. */
export const DEFAULT_LIGHT_COMPANY: LightCompany = {
  id: '0b6f3c2e-8d4a-4c1e-9f57-2a1d3e4b5c6d',
  name: 'Acme Test Company',
  invoiceEmail: 'invoices@acme.example',
  receiptEmail: 'receipts@acme.example',
  contractEmail: 'contracts@acme.example',
  logoUrl: 'https://assets.light.example/logos/acme.png',
  baseCurrency: 'EUR',
  createdAt: '2024-01-15T09:30:00.000Z',
  updatedAt: '2024-06-01T12:00:00.000Z',
};

const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'John',
  'Radia',
  'Ken',
  'Margaret',
  'Dennis',
];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'McCarthy',
  'Perlman',
  'Thompson',
  'Hamilton',
  'Ritchie',
];

/** Twelve seeded users, enough to page through with a small `limit`. */
export const DEFAULT_LIGHT_USERS: readonly LightUser[] = FIRST_NAMES.map((firstName, index) => {
  const lastName = LAST_NAMES[index] ?? 'User';
  const day = String(index + 1).padStart(2, '0');
  return {
    id: `8c1f0000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@acme.example`,
    firstName,
    lastName,
    status: 'ACTIVE',
    createdAt: `2024-02-${day}T08:00:00.000Z`,
    updatedAt: `2024-03-${day}T08:00:00.000Z`,
  };
});
