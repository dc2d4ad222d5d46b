function Save-SlaWatchKeptScan {
    <#
        .SYNOPSIS
        Keeps an unchanged scan's chunks (<spool>\heartbeat\unchanged-NNNNNN.json), replacing the scan kept before.

        .DESCRIPTION
        The last kept-back scan is the last one of its state: when the state changes it is delivered before the
        new report, so every file that left has an exact last sighting. The new chunks are written before the old
        ones go. Throws when they cannot be written: the caller then sends the scan instead.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        # Split-SlaWatchReport's chunks (objects with Bytes).
        [Parameter(Mandatory = $true)]
        [object[]]$Chunk
    )

    $directory = [System.IO.Path]::Combine($Settings.SpoolDirectory, 'heartbeat')
    $old = @(Get-SlaWatchKeptScan -Settings $Settings)
    $index = 0
    foreach ($item in $Chunk) {
        $index++
        $name = 'unchanged-{0}.json' -f $index.ToString('D6', $script:Invariant)
        Write-SlaWatchPrivateFile -Path ([System.IO.Path]::Combine($directory, $name)) -Bytes $item.Bytes
    }
    # Chunks of a larger earlier scan beyond this one's count.
    foreach ($file in $old) {
        if ([int]($file.BaseName.Substring('unchanged-'.Length)) -gt $index) { Remove-Item -LiteralPath $file.FullName -Force -ErrorAction Stop }
    }
}
