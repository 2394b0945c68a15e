import { CatalogError, type SavedQuery, type SavedQueryStore } from '@carelake/catalog';

/**
 * The saved query store of the aws backend, where the Glue catalog stores no saved queries.
 * Every call rejects, so that a caller never mistakes an empty list for "none saved".
 */
export class UnavailableSavedQueryStore implements SavedQueryStore {
  saveQuery(): Promise<{ created: boolean; changed: boolean }> {
    return Promise.reject(unavailable());
  }

  getSavedQuery(): Promise<SavedQuery | undefined> {
    return Promise.reject(unavailable());
  }

  listSavedQueries(): Promise<SavedQuery[]> {
    return Promise.reject(unavailable());
  }

  deleteSavedQuery(): Promise<{ deleted: boolean }> {
    return Promise.reject(unavailable());
  }
}

function unavailable(): CatalogError {
  return new CatalogError('saved queries are not available on the aws backend', {
    hint: 'Use a lake with backend: local for saved queries, or keep the SQL as an Athena named query.',
  });
}
