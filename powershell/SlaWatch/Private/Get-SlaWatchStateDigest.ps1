function Get-SlaWatchStateDigest {
    <#
        .SYNOPSIS
        The state of a scan (what the backend derives incidents and breaches from) as canonical JSON and its SHA-256.

        .DESCRIPTION
        Send on change, heartbeat otherwise: a scan whose digest equals that of the last delivered report is kept
        back until scanner.heartbeatMinutes have passed. The state: per entry of "folders" its folder, sla, ageBasis,
        status and truncated flag (report order); per entry of sla_error its folder, sla, ageBasis and its files as
        [filename, creationDate] pairs (the identity of a breach, as the backend's breach id), sorted ordinally by
        name, then creationDate; and scanner.intervalMinutes and heartbeatMinutes. Counts, ages, sizes and last-write
        times are not state: they change every scan in a busy folder. Keys sorted, no spaces, ASCII only; the Python
        scanner computes the same (tests/vectors/state-digest-vectors.json).

        Takes the whole report, as Get-SlaWatchReport builds it or as ConvertFrom-Json parses it (PowerShell 7
        turns ISO strings into DateTime: they are formatted back to the contract's form). Returns Canonical, Digest.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [object]$Report
    )

    $text = {
        param($Value)
        if ($null -eq $Value) { return 'null' }
        if ($Value -is [datetime]) { $Value = Format-SlaWatchDate -Date $Value }
        ConvertTo-SlaWatchCanonicalString -Value ([string]$Value)
    }
    $number = {
        param($Value)
        if ($null -eq $Value) { return 'null' }
        ([long]$Value).ToString($script:Invariant)
    }

    # Get-SlaWatchJsonValue returns an array as one object (unary comma): iterate the variable, not @(...).
    $outcomes = Get-SlaWatchJsonValue -Object $Report -Name 'folders' -Default @()
    $entries = Get-SlaWatchJsonValue -Object $Report -Name 'sla_error' -Default @()
    $folders = foreach ($entry in $outcomes) {
        $truncated = 'false'
        if ([bool](Get-SlaWatchJsonValue -Object $entry -Name 'truncated' -Default $false)) { $truncated = 'true' }
        '{{"ageBasis":{0},"folder":{1},"sla":{2},"status":{3},"truncated":{4}}}' -f (& $text (Get-SlaWatchJsonValue -Object $entry -Name 'ageBasis')),
        (& $text (Get-SlaWatchJsonValue -Object $entry -Name 'folder')), (& $number (Get-SlaWatchJsonValue -Object $entry -Name 'sla')),
        (& $text (Get-SlaWatchJsonValue -Object $entry -Name 'status')), $truncated
    }
    $breaches = foreach ($entry in $entries) {
        $pairs = New-Object -TypeName 'System.Collections.Generic.List[object]'
        $listed = Get-SlaWatchJsonValue -Object $entry -Name 'files' -Default @()
        foreach ($file in $listed) {
            $created = Get-SlaWatchJsonValue -Object $file -Name 'creationDate'
            if ($created -is [datetime]) { $created = Format-SlaWatchDate -Date $created }
            $pairs.Add(@([string](Get-SlaWatchJsonValue -Object $file -Name 'filename'), [string]$created))
        }
        $pairs.Sort([System.Comparison[object]] {
                param($left, $right)
                $order = [string]::CompareOrdinal($left[0], $right[0])
                if ($order -eq 0) { $order = [string]::CompareOrdinal($left[1], $right[1]) }
                $order
            })
        $files = foreach ($pair in $pairs) { '[{0},{1}]' -f (& $text $pair[0]), (& $text $pair[1]) }
        '{{"ageBasis":{0},"files":[{1}],"folder":{2},"sla":{3}}}' -f (& $text (Get-SlaWatchJsonValue -Object $entry -Name 'ageBasis')),
        (@($files) -join ','), (& $text (Get-SlaWatchJsonValue -Object $entry -Name 'folder')), (& $number (Get-SlaWatchJsonValue -Object $entry -Name 'sla'))
    }
    $scanner = Get-SlaWatchJsonValue -Object $Report -Name 'scanner'
    $canonical = '{{"breaches":[{0}],"folders":[{1}],"heartbeatMinutes":{2},"intervalMinutes":{3}}}' -f (@($breaches) -join ','), (@($folders) -join ','),
    (& $number (Get-SlaWatchJsonValue -Object $scanner -Name 'heartbeatMinutes')), (& $number (Get-SlaWatchJsonValue -Object $scanner -Name 'intervalMinutes'))

    $sha256 = [System.Security.Cryptography.SHA256]::Create()
    try { $hash = $sha256.ComputeHash([System.Text.Encoding]::ASCII.GetBytes($canonical)) } finally { $sha256.Dispose() }
    [pscustomobject]@{
        Canonical = $canonical
        Digest    = -join @($hash | ForEach-Object -Process { $_.ToString('x2', $script:Invariant) })
    }
}
