export * from './kpis';
export * from './aggregate';
export * from './csv';
