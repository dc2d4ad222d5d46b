function Invoke-SlaWatchDelivery {
    <#
        .SYNOPSIS
        Sends the spool, oldest first, and settles each body: delivered (deleted), rejected (dead-lettered),
        or kept for the next run.

        .DESCRIPTION
        The current run's chunks are spooled before delivery starts, so they are simply the newest spool items.
        Items given with -MemoryItem (bodies that could not be written to the spool) go last.
        The first Failed or CredentialError outcome stops the flush: the endpoint is down or the credential is
        wrong, and hammering it for every remaining body helps nobody. A Rejected body does not stop it.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [hashtable]$Settings,

        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCredential]$Credential,

        [string]$TokenCachePath,

        # Objects with Name and Bytes for bodies that are not in the spool folder.
        [object[]]$MemoryItem = @()
    )

    $items = New-Object -TypeName 'System.Collections.Generic.List[object]'
    foreach ($file in @(Get-SlaWatchSpoolItem -Settings $Settings)) {
        $items.Add([pscustomobject]@{ Name = $file.Name; Path = $file.FullName; Bytes = $null })
    }
    foreach ($item in $MemoryItem) {
        $items.Add([pscustomobject]@{ Name = $item.Name; Path = $null; Bytes = $item.Bytes })
    }

    $summary = [pscustomobject]@{
        Attempted       = 0
        Delivered       = 0
        DeadLettered    = 0
        Remaining       = 0
        Lost            = 0
        DeliveryFailed  = $false
        CredentialError = $false
        Message         = $null
    }
    $stopped = $false
    foreach ($item in $items) {
        if ($stopped) {
            if ($item.Path) { $summary.Remaining++ }
            else {
                $summary.Lost++
                Write-SlaWatchLog -Level Error -EventLog -Message "report '$($item.Name)' could not be spooled nor delivered and is lost"
            }
            continue
        }

        $bytes = $item.Bytes
        if ($item.Path) {
            try {
                $bytes = [System.IO.File]::ReadAllBytes($item.Path)
            }
            catch {
                Write-SlaWatchLog -Level Warning -Message "cannot read spooled report '$($item.Path)': $($_.Exception.Message)"
                $summary.Remaining++
                continue
            }
        }

        $summary.Attempted++
        $outcome = Send-SlaWatchBody -Settings $Settings -Body $bytes -Credential $Credential -TokenCachePath $TokenCachePath -Name $item.Name
        if ($outcome.Outcome -eq 'Delivered') {
            $summary.Delivered++
            if ($item.Path) { Remove-Item -LiteralPath $item.Path -Force -ErrorAction SilentlyContinue }
        }
        elseif ($outcome.Outcome -eq 'Rejected') {
            try {
                $null = Move-SlaWatchDeadLetter -Settings $Settings -Name $item.Name -SourcePath $item.Path -Bytes $bytes `
                    -StatusCode $outcome.StatusCode -Content $outcome.Content
                $summary.DeadLettered++
            }
            catch {
                Write-SlaWatchLog -Level Error -Message "could not dead-letter '$($item.Name)' (left in the spool): $($_.Exception.Message)"
                $summary.Remaining++
            }
        }
        else {
            if ($outcome.Outcome -eq 'CredentialError') { $summary.CredentialError = $true } else { $summary.DeliveryFailed = $true }
            $summary.Message = $outcome.Message
            $stopped = $true
            if ($item.Path) { $summary.Remaining++ }
            else {
                $summary.Lost++
                Write-SlaWatchLog -Level Error -EventLog -Message "report '$($item.Name)' could not be spooled nor delivered and is lost"
            }
        }
    }
    $summary
}
