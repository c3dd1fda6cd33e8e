// Event Grid system topic on the storage account. Flex Consumption only runs blob triggers with
// source EventGrid; the webhook subscription needs the app's blobs_extension key, which exists
// only after the first deployment, so infra/scripts/post-deploy.* creates it.
param name string
param location string
param tags object = {}
param storageAccountName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = topic.name
