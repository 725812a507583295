export { Sensitive, sensitive } from './lib/sensitive';
