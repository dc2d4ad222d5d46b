function Get-SlaWatchSpoolItem {
    <#
        .SYNOPSIS
        Lists the spooled request bodies, oldest first (by name, which starts with the UTC spool time).
    #>
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings
    )

    $directory = $Settings.SpoolDirectory
    if (-not (Test-Path -LiteralPath $directory -PathType Container)) { return }
    $files = @(Get-ChildItem -LiteralPath $directory -File -ErrorAction Stop |
            Where-Object -FilterScript { $_.Name.EndsWith('.json', [System.StringComparison]::OrdinalIgnoreCase) })
    $names = [string[]]@($files | ForEach-Object -Process { $_.Name })
    $sorted = [System.IO.FileInfo[]]$files
    # Ordinal sort: the same order on every culture.
    [Array]::Sort($names, $sorted, [System.StringComparer]::Ordinal)
    $sorted
}
