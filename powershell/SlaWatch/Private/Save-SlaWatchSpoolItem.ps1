function Save-SlaWatchSpoolItem {
    <#
        .SYNOPSIS
        Writes one request body to the spool folder before it is sent, so a crash or an outage loses nothing.

        .DESCRIPTION
        File name: <UTC yyyyMMddTHHmmssfffZ>_<runId>_<chunk>-of-<count>.json, so name order is age order and the
        flush sends oldest first. Written to a .tmp file and renamed, so a half-written body is never sent.
        Returns the spool file's path.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [byte[]]$Bytes,

        [Parameter(Mandatory = $true)]
        [string]$RunId,

        [int]$ChunkIndex = 1,

        [int]$ChunkCount = 1,

        # The instant in the name (default: now); a kept-back scan's chunks go in with the time they were kept, so
        # they sort (and are sent) before the report of the change.
        [datetime]$At = [DateTime]::UtcNow
    )

    $directory = $Settings.SpoolDirectory
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) {
        $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
    }
    $stamp = (ConvertTo-SlaWatchUtc -Date $At).ToString("yyyyMMdd'T'HHmmssfff'Z'", $script:Invariant)
    $name = '{0}_{1}_{2}-of-{3}.json' -f $stamp, $RunId, $ChunkIndex.ToString('D5', $script:Invariant), $ChunkCount.ToString('D5', $script:Invariant)
    $path = [System.IO.Path]::Combine($directory, $name)
    $temporary = "$path.tmp"
    [System.IO.File]::WriteAllBytes($temporary, $Bytes)
    Move-Item -LiteralPath $temporary -Destination $path -Force -ErrorAction Stop
    $path
}
