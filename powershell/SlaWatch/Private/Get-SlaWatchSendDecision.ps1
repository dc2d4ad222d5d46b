function Get-SlaWatchSendDecision {
    <#
        .SYNOPSIS
        Send on change, heartbeat otherwise: whether this scan is sent or kept back, and why.

        .DESCRIPTION
        Sent when there is no saved state (first), when the state digest differs (changed: the last kept-back scan
        goes first, so every file that left has an exact last sighting), when heartbeatMinutes is 0 (every scan),
        when reports wait in the spool anyway (spool waiting), or when heartbeatMinutes have passed since the last
        delivered report, 30 seconds early allowed so a run that starts a little early still sends it, or the clock
        went back (heartbeat). Otherwise kept back (unchanged), with the message the run prints. The Python scanner
        decides the same way (slawatch_cli.scanner.heartbeat.decide).
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        # Read-SlaWatchScanState's result: Digest, Since, SentAt (UTC); $null when there is none.
        [AllowNull()]
        [object]$State,

        [Parameter(Mandatory = $true)]
        [string]$Digest,

        # The scan's scannedAt (UTC).
        [Parameter(Mandatory = $true)]
        [datetime]$NowUtc,

        [Parameter(Mandatory = $true)]
        [ValidateRange(0, 60)]
        [int]$HeartbeatMinutes,

        [switch]$SpoolWaiting
    )

    $decision = [pscustomobject]@{ Send = $true; Reason = 'heartbeat'; SendKeptFirst = $false; Message = $null }
    if ($null -eq $State) {
        $decision.Reason = 'first'
        $decision.SendKeptFirst = $true
    }
    elseif ($State.Digest -ne $Digest) {
        $decision.Reason = 'changed'
        $decision.SendKeptFirst = $true
    }
    elseif ($HeartbeatMinutes -eq 0) {
        $decision.Reason = 'every scan'
    }
    elseif ($SpoolWaiting) {
        $decision.Reason = 'spool waiting'
    }
    else {
        $due = $State.SentAt.AddMinutes($HeartbeatMinutes)
        if (($NowUtc.AddSeconds(30) -lt $due) -and ($NowUtc -ge $State.SentAt)) {
            $decision.Send = $false
            $decision.Reason = 'unchanged'
            $format = "HH':'mm' UTC'"
            $decision.Message = 'unchanged since {0}, not sent; heartbeat due at {1}' -f $State.Since.ToString($format, $script:Invariant), $due.ToString($format, $script:Invariant)
        }
    }
    $decision
}
