function Get-SlaWatchKeptScan {
    <#
        .SYNOPSIS
        The chunks of the last scan kept back as unchanged (<spool>\heartbeat\unchanged-NNNNNN.json), in order.
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $directory = [System.IO.Path]::Combine($Settings.SpoolDirectory, 'heartbeat')
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) { return }
    $files = @(Get-ChildItem -LiteralPath $directory -File -ErrorAction Stop |
            Where-Object -FilterScript { $_.Name -match '^unchanged-\d{6}\.json$' })
    $names = [string[]]@($files | ForEach-Object -Process { $_.Name })
    $sorted = [System.IO.FileInfo[]]$files
    [Array]::Sort($names, $sorted, [System.StringComparer]::Ordinal)
    $sorted
}
