# Subscribes the blob trigger (function IngestDrop) to BlobCreated events on churn-incoming.
# Runs after `azd deploy`; idempotent.
$ErrorActionPreference = 'Stop'
$key = az functionapp keys list -g $env:AZURE_RESOURCE_GROUP -n $env:AZURE_FUNCTION_APP_NAME --query "systemKeys.blobs_extension" -o tsv
$endpoint = "https://$($env:AZURE_FUNCTION_APP_NAME).azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.IngestDrop&code=$key"
az eventgrid system-topic event-subscription create `
  --name churn-incoming-blob-created `
  -g $env:AZURE_RESOURCE_GROUP `
  --system-topic-name $env:AZURE_EVENTGRID_SYSTEM_TOPIC `
  --endpoint-type webhook `
  --endpoint $endpoint `
  --included-event-types Microsoft.Storage.BlobCreated `
  --subject-begins-with /blobServices/default/containers/churn-incoming/ `
  --output none
Write-Host "Event Grid subscription for churn-incoming is in place."
