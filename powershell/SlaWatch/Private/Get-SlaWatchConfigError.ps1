function Get-SlaWatchConfigError {
    <#
        .SYNOPSIS
        Validates a parsed configuration (ConvertFrom-Json output) and returns one message per problem.

        .DESCRIPTION
        Mirrors config/scanner-config.schema.json, which the Python scanner validates with jsonschema: the same
        file must be accepted or rejected by both scanners. Array positions are 0-based ("folders[2]" is the third
        folder). An empty result means the configuration is valid.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [AllowNull()]
        [object]$Config
    )

    $folderRule = [ordered]@{
        path              = @{ Type = 'string'; MaxLength = 32767 }
        slaMinutes        = @{ Type = 'integer'; Minimum = 1; Maximum = 10080 }
        recurse           = @{ Type = 'boolean' }
        include           = @{ Type = 'stringArray' }
        exclude           = @{ Type = 'stringArray' }
        includeHidden     = @{ Type = 'boolean' }
        ageBasis          = @{ Type = 'string'; Enum = @('creation', 'lastWrite', 'newest') }
        maxFiles          = @{ Type = 'integer'; Minimum = 1 }
        timeBudgetSeconds = @{ Type = 'number'; Minimum = 1 }
    }
    $sections = [ordered]@{
        api      = [ordered]@{
            url             = @{ Type = 'string'; Required = $true; Pattern = '^(https://|http://(127\.0\.0\.1|localhost|\[::1\])[:/])'; Hint = 'must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1])' }
            timeoutSeconds  = @{ Type = 'integer'; Minimum = 1; Maximum = 300 }
            maxRequestBytes = @{ Type = 'integer'; Minimum = 4096; Maximum = 10000000 }
            proxy           = @{ Type = 'string'; Nullable = $true; Pattern = '^(direct|https?://[^\s/@]+(:\d+)?/?)$'; Hint = 'must be null (the system proxy), "direct" or a proxy URL such as http://proxy.contoso.com:8080 (no user name or password in it)' }
        }
        auth     = [ordered]@{
            region         = @{ Type = 'string'; Required = $true; Pattern = '^[a-z]{2}(-[a-z]+)+-\d$'; Hint = 'must be an AWS region such as eu-west-1' }
            clientId       = @{ Type = 'string'; Required = $true; MaxLength = 128 }
            endpoint       = @{ Type = 'string'; Nullable = $true; Pattern = '^(https://|http://(127\.0\.0\.1|localhost|\[::1\])[:/])'; Hint = 'must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]): the password is sent there' }
            credentialPath = @{ Type = 'string'; Nullable = $true }
        }
        delivery = [ordered]@{
            maxAttempts      = @{ Type = 'integer'; Minimum = 1; Maximum = 20 }
            baseDelaySeconds = @{ Type = 'number'; Minimum = 0; Maximum = 60 }
            maxDelaySeconds  = @{ Type = 'number'; Minimum = 0; Maximum = 900 }
        }
        spool    = [ordered]@{
            directory           = @{ Type = 'string' }
            deadLetterDirectory = @{ Type = 'string' }
            maxFiles            = @{ Type = 'integer'; Minimum = 1 }
            maxBytes            = @{ Type = 'integer'; Minimum = 4096 }
        }
        scanner  = [ordered]@{
            heartbeatMinutes = @{ Type = 'integer'; Minimum = 0; Maximum = 60; Note = ' (0 sends every scan; otherwise at least the scan interval)' }
        }
        log      = [ordered]@{
            directory = @{ Type = 'string' }
            maxBytes  = @{ Type = 'integer'; Minimum = 4096 }
            keep      = @{ Type = 'integer'; Minimum = 1; Maximum = 100 }
            eventLog  = @{ Type = 'boolean' }
        }
    }

    if (-not (Test-SlaWatchJsonObject -Value $Config)) {
        'the configuration must be a JSON object'
        return
    }

    $known = @($sections.Keys) + @('defaults', 'folders')
    foreach ($property in $Config.PSObject.Properties) {
        if ($known -cnotcontains $property.Name) {
            "$($property.Name) is not a recognised setting (check the spelling against config/scanner-config.schema.json)"
        }
    }

    foreach ($name in $sections.Keys) {
        $property = $Config.PSObject.Properties[$name]
        if ($null -eq $property) {
            if ($name -eq 'api' -or $name -eq 'auth') { "$name is required" }
            continue
        }
        Get-SlaWatchObjectError -Object $property.Value -Rule $sections[$name] -Prefix $name
    }

    $defaults = $Config.PSObject.Properties['defaults']
    if ($null -ne $defaults) {
        Get-SlaWatchObjectError -Object $defaults.Value -Rule $folderRule -Prefix 'defaults'
    }

    $folders = $Config.PSObject.Properties['folders']
    if ($null -eq $folders) {
        'folders is required'
    }
    elseif (($folders.Value -isnot [array]) -or (@($folders.Value).Count -eq 0)) {
        'folders must be a non-empty array'
    }
    else {
        $requiredFolderRule = [ordered]@{}
        foreach ($key in $folderRule.Keys) { $requiredFolderRule[$key] = $folderRule[$key].Clone() }
        $requiredFolderRule['path'].Required = $true
        $requiredFolderRule['slaMinutes'].Required = $true
        $index = 0
        foreach ($folder in $folders.Value) {
            Get-SlaWatchObjectError -Object $folder -Rule $requiredFolderRule -Prefix "folders[$index]"
            $index++
        }
    }
}
