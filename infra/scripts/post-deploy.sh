#!/bin/sh
# Subscribes the blob trigger (function IngestDrop) to BlobCreated events on churn-incoming.
# Runs after `azd deploy`; idempotent.
set -eu
: "${AZURE_RESOURCE_GROUP:?run through azd}"
: "${AZURE_FUNCTION_APP_NAME:?run through azd}"
: "${AZURE_EVENTGRID_SYSTEM_TOPIC:?run through azd}"

key=$(az functionapp keys list -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_APP_NAME" \
  --query "systemKeys.blobs_extension" -o tsv)
endpoint="https://${AZURE_FUNCTION_APP_NAME}.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.IngestDrop&code=${key}"

az eventgrid system-topic event-subscription create \
  --name churn-incoming-blob-created \
  -g "$AZURE_RESOURCE_GROUP" \
  --system-topic-name "$AZURE_EVENTGRID_SYSTEM_TOPIC" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with /blobServices/default/containers/churn-incoming/ \
  --output none
echo "Event Grid subscription for churn-incoming is in place."
