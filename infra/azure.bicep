// One environment of the contact center in one resource group:
//   user-assigned managed identity: the bot's identity and the web app's key to Cosmos DB
//   App Service plan + Web App (Linux, Node 22 LTS, HTTPS only) running the server
//   Azure Bot (Teams channel) pointing at the web app's /api/messages
//   Cosmos DB account (serverless by default), its database and containers, a data-plane role for the identity
// No secret exists anywhere: the bot authenticates as the managed identity, and Cosmos DB key access is off.

targetScope = 'resourceGroup'

@description('Environment name (dev, prod, ...). Part of every resource name.')
@minLength(2)
@maxLength(10)
param environmentName string

@description('Region for everything but the bot registration, which is global.')
param location string = resourceGroup().location

@description('App Service plan SKU. Basic or higher: Always On keeps timers and offers running between requests.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param appServiceSku string = 'B1'

@description('Name of the bot in Azure.')
@maxLength(42)
param botDisplayName string = 'Contact Center'

@description('Azure Bot pricing tier. Teams is a standard channel, so F0 has no message quota for it.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('true: serverless Cosmos DB, billed per request. false: autoscale throughput shared by the database\'s containers.')
param cosmosServerless bool = true

@description('Upper limit of the shared autoscale throughput (RU/s) when cosmosServerless is false.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Database name, handed to the app as COSMOS_DATABASE.')
param cosmosDatabaseName string = 'contactcenter'

@description('Client id of the Entra app registration the Teams tab signs in with (SSO).')
param tabSsoClientId string

// Globally unique names without asking for a suffix: stable for one resource group, different for another.
var baseName = 'cc-${toLower(environmentName)}-${uniqueString(resourceGroup().id)}'

// The containers of bot/src/store/containers.ts, all partitioned on /pk. The app cannot create them here:
// Cosmos DB refuses management operations made with an Entra ID token, so a container missing from this
// list stops the app at start-up. A test compares the list with the code.
var containerIds = [
  'config'
  'routing'
  'chats'
  'reports'
  'timers'
  'directory'
]
var partitionKeyPath = '/pk'

// Built-in "Cosmos DB Built-in Data Contributor": read and write items, read metadata; no management.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-id'
  location: location
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${baseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: baseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Offers, relays and SSE streams live in one process; no sticky sessions to pin a client to it.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // What `npm run stage:webapp` lays out; App Service builds nothing (SCM_DO_BUILD_DURING_DEPLOYMENT).
      appCommandLine: 'npm run start:prod'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// The server's environment. Every variable its configuration requires in production is here; a test
// evaluates this block against the configuration schema and the production guard. App Service sets PORT.
resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    NODE_ENV: 'production'
    AUTH_MODE: 'botframework'
    BOT_TYPE: 'UserAssignedMSI'
    BOT_ID: identity.properties.clientId
    BOT_TENANT_ID: identity.properties.tenantId
    PUBLIC_BASE_URL: 'https://${webApp.properties.defaultHostName}'
    // App Service's front ends reach the app from its internal network and append the client to X-Forwarded-For.
    TRUSTED_PROXIES: 'private'
    TAB_SSO_CLIENT_ID: tabSsoClientId
    COSMOS_ENDPOINT: cosmos.properties.documentEndpoint
    COSMOS_DATABASE: cosmosDatabaseName
    DEMO_TENANT: 'false'
    LOG_LEVEL: 'info'
    // DefaultAzureCredential picks the user-assigned identity by this client id.
    AZURE_CLIENT_ID: identity.properties.clientId
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
  dependsOn: [
    cosmosDataAccess
    containers
  ]
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: baseName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: cosmosServerless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    // Keys off: the only way in is an Entra ID identity holding a data-plane role.
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: cosmosServerless ? {} : {
      autoscaleSettings: {
        maxThroughput: cosmosAutoscaleMaxThroughput
      }
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [for containerId in containerIds: {
  parent: database
  name: containerId
  properties: {
    resource: {
      id: containerId
      partitionKey: {
        paths: [
          partitionKeyPath
        ]
        kind: 'Hash'
        version: 2
      }
    }
  }
}]

resource cosmosDataAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: baseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// Provisioning writes these to env/.env.<environment>: the app package and the deploy step read them.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output PUBLIC_BASE_URL string = 'https://${webApp.properties.defaultHostName}'
