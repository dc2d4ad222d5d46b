function ConvertTo-SlaWatchSetting {
    <#
        .SYNOPSIS
        Turns a validated configuration object into the flat settings hashtable the module works with.

        .DESCRIPTION
        Applies the documented defaults (schema "default" values) and merges each folder over the config-level
        "defaults" block. Relative paths are resolved against the configuration file's folder; the folder path
        as written in the configuration is kept for the report ("folder").
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [object]$Config,

        [Parameter(Mandatory = $true)]
        [string]$ConfigPath
    )

    $basePath = Split-Path -Path $ConfigPath -Parent
    $dataRoot = [System.IO.Path]::Combine([Environment]::GetFolderPath('CommonApplicationData'), 'SlaWatch')

    $api = Get-SlaWatchJsonValue -Object $Config -Name 'api'
    $auth = Get-SlaWatchJsonValue -Object $Config -Name 'auth'
    $delivery = Get-SlaWatchJsonValue -Object $Config -Name 'delivery'
    $spool = Get-SlaWatchJsonValue -Object $Config -Name 'spool'
    $log = Get-SlaWatchJsonValue -Object $Config -Name 'log'
    $scanner = Get-SlaWatchJsonValue -Object $Config -Name 'scanner'
    $defaults = Get-SlaWatchJsonValue -Object $Config -Name 'defaults'

    $region = [string]$auth.region
    $endpoint = Get-SlaWatchJsonValue -Object $auth -Name 'endpoint' -Default "https://cognito-idp.$region.amazonaws.com/"
    $credentialPath = Get-SlaWatchJsonValue -Object $auth -Name 'credentialPath' -Default ([System.IO.Path]::Combine($dataRoot, 'scanner.credential.xml'))
    $spoolDirectory = Resolve-SlaWatchPath -BasePath $basePath -Path (Get-SlaWatchJsonValue -Object $spool -Name 'directory' -Default ([System.IO.Path]::Combine($dataRoot, 'spool')))
    $deadLetterDefault = [System.IO.Path]::Combine((Split-Path -Path $spoolDirectory -Parent), 'dead-letter')
    $logDirectory = Get-SlaWatchJsonValue -Object $log -Name 'directory'
    if ($logDirectory) { $logDirectory = Resolve-SlaWatchPath -BasePath $basePath -Path $logDirectory }

    $settings = @{
        ConfigPath          = $ConfigPath
        ApiUrl              = [string]$api.url
        TimeoutSeconds      = [int](Get-SlaWatchJsonValue -Object $api -Name 'timeoutSeconds' -Default 30)
        Proxy               = [string](Get-SlaWatchJsonValue -Object $api -Name 'proxy' -Default '')
        MaxRequestBytes     = [int](Get-SlaWatchJsonValue -Object $api -Name 'maxRequestBytes' -Default 5242880)
        Region              = $region
        ClientId            = [string]$auth.clientId
        AuthEndpoint        = [string]$endpoint
        CredentialPath      = Resolve-SlaWatchPath -BasePath $basePath -Path $credentialPath
        MaxAttempts         = [int](Get-SlaWatchJsonValue -Object $delivery -Name 'maxAttempts' -Default 5)
        BaseDelaySeconds    = [double](Get-SlaWatchJsonValue -Object $delivery -Name 'baseDelaySeconds' -Default 2)
        MaxDelaySeconds     = [double](Get-SlaWatchJsonValue -Object $delivery -Name 'maxDelaySeconds' -Default 60)
        SpoolDirectory      = $spoolDirectory
        DeadLetterDirectory = Resolve-SlaWatchPath -BasePath $basePath -Path (Get-SlaWatchJsonValue -Object $spool -Name 'deadLetterDirectory' -Default $deadLetterDefault)
        SpoolMaxFiles       = [int](Get-SlaWatchJsonValue -Object $spool -Name 'maxFiles' -Default 500)
        SpoolMaxBytes       = [long](Get-SlaWatchJsonValue -Object $spool -Name 'maxBytes' -Default 104857600)
        LogDirectory        = $logDirectory
        LogMaxBytes         = [long](Get-SlaWatchJsonValue -Object $log -Name 'maxBytes' -Default 10485760)
        LogKeep             = [int](Get-SlaWatchJsonValue -Object $log -Name 'keep' -Default 5)
        EventLog            = [bool](Get-SlaWatchJsonValue -Object $log -Name 'eventLog' -Default $false)
        HeartbeatMinutes    = [int](Get-SlaWatchJsonValue -Object $scanner -Name 'heartbeatMinutes' -Default 15)
        Folders             = @()
    }

    # Built-in folder defaults (the schema's "default" values), then the config's "defaults", then the folder.
    $builtIn = [ordered]@{
        recurse           = $false
        include           = @('*')
        exclude           = @()
        includeHidden     = $false
        ageBasis          = 'creation'
        maxFiles          = 100000
        timeBudgetSeconds = 120
    }
    $folderList = New-Object -TypeName 'System.Collections.Generic.List[hashtable]'
    $index = 0
    foreach ($folder in @($Config.folders)) {
        $merged = @{}
        foreach ($key in $builtIn.Keys) {
            $value = Get-SlaWatchJsonValue -Object $defaults -Name $key -Default $builtIn[$key]
            $merged[$key] = Get-SlaWatchJsonValue -Object $folder -Name $key -Default $value
        }
        $path = [string]$folder.path
        $folderList.Add(@{
                Index             = $index
                Path              = $path
                FullPath          = Resolve-SlaWatchPath -BasePath $basePath -Path $path
                SlaMinutes        = [int]$folder.slaMinutes
                Recurse           = [bool]$merged.recurse
                Include           = [string[]]@($merged.include)
                Exclude           = [string[]]@($merged.exclude)
                IncludeHidden     = [bool]$merged.includeHidden
                AgeBasis          = [string]$merged.ageBasis
                MaxFiles          = [int]$merged.maxFiles
                TimeBudgetSeconds = [double]$merged.timeBudgetSeconds
            })
        $index++
    }
    $settings.Folders = $folderList.ToArray()
    $settings
}
