// One GPv2 storage account for the task hub, datasets, models and prediction logs.
// Shared-key access is off: every client authenticates with Entra ID.
param name string
param location string
param tags object = {}
param deploymentContainerName string

var containers = [
  deploymentContainerName
  'churn-incoming'
  'churn-bronze'
  'churn-silver'
  'churn-gold'
  'churn-quarantine'
  'churn-models'
  'churn-reports'
  'churn-predictions'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    resource container 'containers' = [for c in containers: {
      name: c
      properties: { publicAccess: 'None' }
    }]
  }

  resource queueService 'queueServices' = {
    name: 'default'
  }

  resource tableService 'tableServices' = {
    name: 'default'
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
