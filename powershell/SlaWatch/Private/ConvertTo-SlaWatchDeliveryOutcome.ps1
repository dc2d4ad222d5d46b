function ConvertTo-SlaWatchDeliveryOutcome {
    <#
        .SYNOPSIS
        Maps an authentication error to a delivery outcome (CredentialError or Failed); rethrows anything else.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.ErrorRecord]$ErrorRecord
    )

    $id = [string]$ErrorRecord.FullyQualifiedErrorId
    if ($id -like 'SlaWatch.CredentialError*') { $outcome = 'CredentialError' }
    elseif ($id -like 'SlaWatch.DeliveryFailed*') { $outcome = 'Failed' }
    else { throw $ErrorRecord }

    Write-SlaWatchLog -Level Error -Message $ErrorRecord.Exception.Message
    [pscustomobject]@{
        Outcome    = $outcome
        StatusCode = 0
        Content    = $null
        Message    = $ErrorRecord.Exception.Message
    }
}
