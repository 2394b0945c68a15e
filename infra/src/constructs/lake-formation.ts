import { Stack } from 'aws-cdk-lib';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { CfnDataLakeSettings, CfnResource } from 'aws-cdk-lib/aws-lakeformation';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { zoneForDatabase } from '@carelake/core';
import { lakeKeyPrefix } from '../lake-prefixes';

export interface LakeFormationProps {
  lakeBucket: IBucket;
  lakeKey: IKey;
  /** Key prefix of the lake in the bucket, without a trailing "/"; empty for the bucket's root. */
  lakePrefix: string;
  /** IAM role or user ARNs that administer the data lake. */
  admins: string[];
  /** Catalog databases to create, such as `raw` and `clinical`. */
  databases: string[];
}

/**
 * The Glue databases and the Lake Formation settings: the administrators, no IAMAllowedPrincipals
 * defaults on new databases and tables, so that Lake Formation grants alone decide access, and
 * the lake's location registered with a role that Lake Formation vends credentials from.
 * Grants, LF-tags and data cells filters are applied by `carelake grants apply`, not here.
 */
export class LakeFormation extends Construct {
  readonly settings: CfnDataLakeSettings;
  readonly databases: Map<string, CfnDatabase>;
  readonly locationRole: Role;

  constructor(scope: Construct, id: string, props: LakeFormationProps) {
    super(scope, id);
    const { account } = Stack.of(this);

    this.settings = new CfnDataLakeSettings(this, 'Settings', {
      admins: props.admins.map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      allowExternalDataFiltering: false,
      mutationType: 'REPLACE',
    });

    this.locationRole = new Role(this, 'LocationRole', {
      assumedBy: new ServicePrincipal('lakeformation.amazonaws.com'),
      description: 'Lake Formation reads and writes the registered lake location with this role.',
    });
    const prefix = lakeKeyPrefix(props.lakePrefix, '');
    this.locationRole.addToPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [props.lakeBucket.arnForObjects(`${prefix}*`)],
      }),
    );
    this.locationRole.addToPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.lakeBucket.bucketArn] }));
    this.locationRole.addToPolicy(
      new PolicyStatement({ actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], resources: [props.lakeKey.keyArn] }),
    );

    const location = new CfnResource(this, 'Location', {
      resourceArn: prefix === '' ? props.lakeBucket.bucketArn : `${props.lakeBucket.bucketArn}/${prefix.replace(/\/$/, '')}`,
      roleArn: this.locationRole.roleArn,
      useServiceLinkedRole: false,
      hybridAccessEnabled: false,
    });
    location.addResourceDependency(this.settings);

    this.databases = new Map();
    for (const database of props.databases) {
      const glueDatabase = new CfnDatabase(this, `Database-${database}`, {
        catalogId: account,
        databaseInput: {
          // Glue names without a Name are generated with a hyphen, which Athena cannot query.
          name: database,
          locationUri: props.lakeBucket.s3UrlForObject(lakeKeyPrefix(props.lakePrefix, `${zoneForDatabase(database)}/${database}/`)),
          createTableDefaultPermissions: [],
        },
      });
      glueDatabase.addResourceDependency(this.settings);
      this.databases.set(database, glueDatabase);
    }
  }
}
