function Save-SlaWatchScanState {
    <#
        .SYNOPSIS
        Saves the state of a delivered report (<spool>\heartbeat\state.json), atomically; 0600 off Windows.

        .DESCRIPTION
        Called only after a delivery that left nothing behind, so after a failure the next scan is sent again.
        A failure to write is a warning: the next scan is then sent, as before.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [string]$Digest,

        [Parameter(Mandatory = $true)]
        [datetime]$Since,

        [Parameter(Mandatory = $true)]
        [datetime]$SentAt
    )

    $path = [System.IO.Path]::Combine($Settings.SpoolDirectory, 'heartbeat', 'state.json')
    $json = '{{"digest":"{0}","since":"{1}","sentAt":"{2}"}}' -f $Digest, (Format-SlaWatchDate -Date $Since), (Format-SlaWatchDate -Date $SentAt)
    try {
        Write-SlaWatchPrivateFile -Path $path -Bytes $script:Utf8NoBom.GetBytes($json)
    }
    catch {
        Write-SlaWatchLog -Level Warning -Message "cannot save the scan state '$path' ($($_.Exception.Message)); the next scan is sent"
    }
}
