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
    $spooled = @(Get-ChildItem -LiteralPath $directory -File -ErrorAction Stop |
            Where-Object -FilterScript { $_.Name.EndsWith('.json', [System.StringComparison]::OrdinalIgnoreCase) })
    # A zero-byte file is what a power loss between create and write leaves: it holds no report, and keeping it
    # would fail every later run. Remove it, loudly.
    foreach ($empty in @($spooled | Where-Object -FilterScript { $_.Length -eq 0 })) {
        Write-Warning -Message "SlaWatch: removing empty spool file '$($empty.FullName)' (no report in it)"
        Remove-Item -LiteralPath $empty.FullName -Force -ErrorAction SilentlyContinue
    }
    $files = @($spooled | Where-Object -FilterScript { $_.Length -gt 0 })
    $names = [string[]]@($files | ForEach-Object -Process { $_.Name })
    $sorted = [System.IO.FileInfo[]]$files
    # Ordinal sort: the same order on every culture.
    [Array]::Sort($names, $sorted, [System.StringComparer]::Ordinal)
    $sorted
}
