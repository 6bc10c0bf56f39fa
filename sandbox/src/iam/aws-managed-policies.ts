/**
 * AWS managed policies the console uses. Documents follow the published AWS managed policy
 * reference (AmazonBedrockLimitedAccess copied from shared/aws-reference); ids, version ids and
 * dates are the sandbox's own, stable so GetPolicy answers are reproducible.
 */
import type { PolicyDocument } from "./policies.js";

export interface AwsManagedPolicy {
  name: string;
  id: string;
  path: string;
  description: string;
  version: string;
  created: string;
  updated: string;
  document: PolicyDocument;
}

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    "name": "AmazonBedrockLimitedAccess",
    "id": "ANPAZKAPJZG4PRVFQHNLR",
    "path": "/",
    "description": "Provides limited access to Amazon Bedrock and related services that are required by it",
    "version": "v6",
    "created": "2025-07-08T00:00:00Z",
    "updated": "2026-02-12T17:57:00Z",
    "document": {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "BedrockAPIs",
          "Effect": "Allow",
          "Resource": "*",
          "Action": [
            "bedrock:Get*",
            "bedrock:List*",
            "bedrock:CallWithBearerToken",
            "bedrock:BatchDeleteEvaluationJob",
            "bedrock:CreateEvaluationJob",
            "bedrock:CreateGuardrail",
            "bedrock:CreateGuardrailVersion",
            "bedrock:CreateInferenceProfile",
            "bedrock:CreateModelCopyJob",
            "bedrock:CreateModelCustomizationJob",
            "bedrock:CreateModelImportJob",
            "bedrock:CreateModelInvocationJob",
            "bedrock:CreatePromptRouter",
            "bedrock:CreateProvisionedModelThroughput",
            "bedrock:DeleteCustomModel",
            "bedrock:DeleteGuardrail",
            "bedrock:DeleteImportedModel",
            "bedrock:DeleteInferenceProfile",
            "bedrock:DeletePromptRouter",
            "bedrock:DeleteProvisionedModelThroughput",
            "bedrock:StopEvaluationJob",
            "bedrock:StopModelCustomizationJob",
            "bedrock:StopModelInvocationJob",
            "bedrock:TagResource",
            "bedrock:UntagResource",
            "bedrock:UpdateGuardrail",
            "bedrock:UpdateProvisionedModelThroughput",
            "bedrock:ApplyGuardrail",
            "bedrock:InvokeModel",
            "bedrock:InvokeModelWithResponseStream"
          ]
        },
        {
          "Sid": "DescribeKey",
          "Effect": "Allow",
          "Action": [
            "kms:DescribeKey"
          ],
          "Resource": "arn:*:kms:*:::*"
        },
        {
          "Sid": "APIsWithAllResourceAccess",
          "Effect": "Allow",
          "Action": [
            "iam:ListRoles",
            "ec2:DescribeVpcs",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups"
          ],
          "Resource": "*"
        },
        {
          "Sid": "BedrockMantleAPIs",
          "Effect": "Allow",
          "Action": [
            "bedrock-mantle:CallWithBearerToken",
            "bedrock-mantle:Get*",
            "bedrock-mantle:List*",
            "bedrock-mantle:CreateInference"
          ],
          "Resource": "*"
        },
        {
          "Sid": "MarketplaceOperationsFromBedrockFor3pModels",
          "Effect": "Allow",
          "Action": [
            "aws-marketplace:Subscribe",
            "aws-marketplace:ViewSubscriptions",
            "aws-marketplace:Unsubscribe"
          ],
          "Resource": "*",
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        }
      ]
    }
  },
  {
    "name": "AmazonBedrockMarketplaceAccess",
    "id": "ANPAZKAPJZG4HFJ6T3HQA",
    "path": "/",
    "description": "Provides limited access to Amazon Bedrock Marketplace as well as to related services that are required by it",
    "version": "v3",
    "created": "2025-06-29T22:22:00Z",
    "updated": "2026-02-12T17:57:00Z",
    "document": {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "BedrockMarketplaceAPIs",
          "Effect": "Allow",
          "Action": [
            "bedrock:CreateMarketplaceModelEndpoint",
            "bedrock:DeleteMarketplaceModelEndpoint",
            "bedrock:DeregisterMarketplaceModelEndpoint",
            "bedrock:RegisterMarketplaceModelEndpoint",
            "bedrock:UpdateMarketplaceModelEndpoint"
          ],
          "Resource": "*"
        },
        {
          "Sid": "MarketplaceModelEndpointMutatingAPIs",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreateEndpoint",
            "sagemaker:CreateEndpointConfig",
            "sagemaker:CreateModel",
            "sagemaker:DeleteEndpoint",
            "sagemaker:UpdateEndpoint"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointAddTagsOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "ForAllValues:StringEquals": {
              "aws:TagKeys": [
                "sagemaker-sdk:bedrock-managed",
                "bedrock-model-endpoint-arn"
              ]
            },
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointDeleteTagsOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DeleteTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "ForAllValues:StringEquals": {
              "aws:TagKeys": [
                "sagemaker-sdk:bedrock-managed",
                "bedrock-model-endpoint-arn"
              ]
            },
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointNonMutatingAPIs",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:DescribeEndpointConfig",
            "sagemaker:DescribeModel",
            "sagemaker:DescribeInferenceComponent",
            "sagemaker:ListEndpoints",
            "sagemaker:ListTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointInvokingOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:InvokeEndpoint",
            "sagemaker:InvokeEndpointWithResponseStream"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "DiscoveringMarketplaceModel",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeHubContent"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:aws:hub-content/SageMakerPublicHub/Model/*",
            "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub"
          ]
        },
        {
          "Sid": "AllowMarketplaceModelsListing",
          "Effect": "Allow",
          "Action": [
            "sagemaker:ListHubContents"
          ],
          "Resource": "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub"
        },
        {
          "Sid": "PassRoleToSageMaker",
          "Effect": "Allow",
          "Action": [
            "iam:PassRole"
          ],
          "Resource": [
            "arn:aws:iam::*:role/*SageMaker*ForBedrock*"
          ],
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": [
                "sagemaker.amazonaws.com",
                "bedrock.amazonaws.com"
              ]
            }
          }
        },
        {
          "Sid": "MarketplaceOperationsFromBedrockFor3pModels",
          "Effect": "Allow",
          "Action": [
            "aws-marketplace:Subscribe",
            "aws-marketplace:ViewSubscriptions",
            "aws-marketplace:Unsubscribe"
          ],
          "Resource": "*",
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        }
      ]
    }
  },
  {
    "name": "AmazonBedrockFullAccess",
    "id": "ANPAZKAPJZG4BD6M5TCUN",
    "path": "/",
    "description": "Provides full access to Amazon Bedrock and related services that are required by it",
    "version": "v11",
    "created": "2023-12-12T00:00:00Z",
    "updated": "2026-02-12T17:57:00Z",
    "document": {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "BedrockAll",
          "Effect": "Allow",
          "Action": [
            "bedrock:*"
          ],
          "Resource": "*"
        },
        {
          "Sid": "DescribeKey",
          "Effect": "Allow",
          "Action": [
            "kms:DescribeKey"
          ],
          "Resource": "arn:*:kms:*:::*"
        },
        {
          "Sid": "APIsWithAllResourceAccess",
          "Effect": "Allow",
          "Action": [
            "iam:ListRoles",
            "ec2:DescribeVpcs",
            "ec2:DescribeSubnets",
            "ec2:DescribeSecurityGroups"
          ],
          "Resource": "*"
        },
        {
          "Sid": "MarketplaceModelEndpointMutatingAPIs",
          "Effect": "Allow",
          "Action": [
            "sagemaker:CreateEndpoint",
            "sagemaker:CreateEndpointConfig",
            "sagemaker:CreateModel",
            "sagemaker:DeleteEndpoint",
            "sagemaker:UpdateEndpoint"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointAddTagsOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:AddTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "ForAllValues:StringEquals": {
              "aws:TagKeys": [
                "sagemaker-sdk:bedrock-managed",
                "bedrock-model-endpoint-arn"
              ]
            },
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointDeleteTagsOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DeleteTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "ForAllValues:StringEquals": {
              "aws:TagKeys": [
                "sagemaker-sdk:bedrock-managed",
                "bedrock-model-endpoint-arn"
              ]
            },
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointNonMutatingAPIs",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeEndpoint",
            "sagemaker:DescribeEndpointConfig",
            "sagemaker:DescribeModel",
            "sagemaker:DescribeInferenceComponent",
            "sagemaker:ListEndpoints",
            "sagemaker:ListTags"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*",
            "arn:aws:sagemaker:*:*:endpoint-config/*",
            "arn:aws:sagemaker:*:*:model/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        },
        {
          "Sid": "MarketplaceModelEndpointInvokingOperations",
          "Effect": "Allow",
          "Action": [
            "sagemaker:InvokeEndpoint",
            "sagemaker:InvokeEndpointWithResponseStream"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:*:endpoint/*"
          ],
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com",
              "aws:ResourceTag/sagemaker-sdk:bedrock-managed": "true"
            }
          }
        },
        {
          "Sid": "DiscoveringMarketplaceModel",
          "Effect": "Allow",
          "Action": [
            "sagemaker:DescribeHubContent"
          ],
          "Resource": [
            "arn:aws:sagemaker:*:aws:hub-content/SageMakerPublicHub/Model/*",
            "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub"
          ]
        },
        {
          "Sid": "AllowMarketplaceModelsListing",
          "Effect": "Allow",
          "Action": [
            "sagemaker:ListHubContents"
          ],
          "Resource": "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub"
        },
        {
          "Sid": "PassRoleToSageMaker",
          "Effect": "Allow",
          "Action": [
            "iam:PassRole"
          ],
          "Resource": [
            "arn:aws:iam::*:role/*SageMaker*ForBedrock*"
          ],
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": [
                "sagemaker.amazonaws.com",
                "bedrock.amazonaws.com"
              ]
            }
          }
        },
        {
          "Sid": "PassRoleToBedrock",
          "Effect": "Allow",
          "Action": [
            "iam:PassRole"
          ],
          "Resource": "arn:aws:iam::*:role/*AmazonBedrock*",
          "Condition": {
            "StringEquals": {
              "iam:PassedToService": [
                "bedrock.amazonaws.com"
              ]
            }
          }
        },
        {
          "Sid": "MarketplaceOperationsFromBedrockFor3pModels",
          "Effect": "Allow",
          "Action": [
            "aws-marketplace:Subscribe",
            "aws-marketplace:ViewSubscriptions",
            "aws-marketplace:Unsubscribe"
          ],
          "Resource": "*",
          "Condition": {
            "StringEquals": {
              "aws:CalledViaLast": "bedrock.amazonaws.com"
            }
          }
        }
      ]
    }
  }
];
