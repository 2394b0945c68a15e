// The catalog contract against GlueCatalog on a real GlueClient whose send is mocked (aws-sdk-client-mock) by an in-memory fake of Glue.
import { CONTRACT_DATABASES, describeCatalogContract } from '../contract/catalog-contract';
import { FakeGlue } from './__fixtures__/fake-glue';
import { mockedGlueClient, TEST_BUCKET, TEST_PREFIX } from './__fixtures__/glue-client';
import { GlueCatalog } from './glue-catalog';

describeCatalogContract('GlueCatalog', async ({ clock }) => {
  const glue = mockedGlueClient();
  const fake = new FakeGlue(clock);
  for (const database of CONTRACT_DATABASES) fake.addDatabase(database);
  fake.attach(glue.mock);
  const catalog = new GlueCatalog({
    client: glue.client,
    bucket: TEST_BUCKET,
    prefix: TEST_PREFIX,
  });
  return { catalog, cleanup: async () => glue.release() };
});
