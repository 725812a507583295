import { Module } from '@nestjs/common';
import { ConsentsRepository } from '../../data/consents/consents.repository';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { PersonLookupQueries } from '../../data/persons/person-lookup.queries';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { ConsentRecords } from './consent-records';
import { ContactRecords } from './contact-records';
import { IdentityVault } from './identity-vault';
import { PersonIndexer } from './person-indexer';
import { PersonRecords } from './person-records';
import { SimilarNameReindex } from './similar-name-reindex';
import { KeyMaterialStore } from '../../data/keys/key-material.store';

/**
 * Case records that several features write: people (with identity and indexes), contacts with
 * their needs, consents — and the repositories behind them.
 */
const RECORDS = [
  PersonsRepository,
  ContactsRepository,
  ContactRecords,
  PersonLookupQueries,
  KeyMaterialStore,
  ConsentsRepository,
  IdentityVault,
  PersonIndexer,
  ConsentRecords,
  PersonRecords,
  SimilarNameReindex,
];

@Module({
  imports: [KeyringModule],
  providers: RECORDS,
  exports: RECORDS,
})
export class RecordsModule {}
