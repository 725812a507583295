import { Module } from '@nestjs/common';
import { ConsentsRepository } from '../../data/consents/consents.repository';
import { ContactAmendmentsRepository } from '../../data/contacts/contact-amendments.repository';
import { ContactsRepository } from '../../data/contacts/contacts.repository';
import { PersonLookupQueries } from '../../data/persons/person-lookup.queries';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { ConsentRecords } from './consent-records';
import { ContactAmendments } from './contact-amendments';
import { ContactRecords } from './contact-records';
import { IdentityVault } from './identity-vault';
import { PersonIndexer } from './person-indexer';
import { PersonRecords } from './person-records';
import { PersonMerges } from './person-merge';
import { PersonErasuresRepository } from '../../data/persons/person-erasures.repository';
import { PersonMergeRepository } from '../../data/persons/person-merge.repository';
import { SimilarNameReindex } from './similar-name-reindex';
import { KeyMaterialStore } from '../../data/keys/key-material.store';
import { KeyWorkersRepository } from '../../data/key-workers/key-workers.repository';
import { PersonAccess } from './person-access';

/**
 * Case records that several features write: people (with identity and indexes), contacts with
 * their needs, consents — and the repositories behind them.
 */
const RECORDS = [
  PersonsRepository,
  ContactsRepository,
  ContactRecords,
  ContactAmendmentsRepository,
  ContactAmendments,
  PersonLookupQueries,
  KeyMaterialStore,
  ConsentsRepository,
  IdentityVault,
  PersonIndexer,
  ConsentRecords,
  PersonRecords,
  KeyWorkersRepository,
  PersonAccess,
  PersonMergeRepository,
  PersonErasuresRepository,
  PersonMerges,
  SimilarNameReindex,
];

@Module({
  imports: [KeyringModule],
  providers: RECORDS,
  exports: RECORDS,
})
export class RecordsModule {}
