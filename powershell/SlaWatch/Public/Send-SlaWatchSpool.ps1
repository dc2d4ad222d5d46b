function Send-SlaWatchSpool {
    <#
        .SYNOPSIS
        Delivers the reports waiting in the spool folder, oldest first, without scanning.

        .DESCRIPTION
        Every run of Invoke-SlaWatchScan flushes the spool before its own report; use this function to flush it
        by hand after an outage or a credential fix. Delivered reports are deleted, reports the API rejects with
        a 4xx other than 401/403/408/429 are moved to the dead-letter folder with the response, and the flush
        stops at the first delivery failure or credential error, leaving the rest for later.

        Returns an object with Delivered, DeadLettered, Remaining and an ExitCode with the meaning documented for
        Invoke-SlaWatchScan (0 = spool empty, 20 = something left or dead-lettered, 30 = credential error).
        A configuration or credential-file error is thrown.

        .PARAMETER ConfigPath
        Path of the JSON configuration file.

        .PARAMETER Credential
        The Cognito user to sign in as; by default the credential stored with Set-SlaWatchCredential.

        .EXAMPLE
        Send-SlaWatchSpool -ConfigPath C:\ProgramData\SlaWatch\slawatch.json

        .OUTPUTS
        SlaWatch.SpoolResult
    #>
    [CmdletBinding()]
    [OutputType('SlaWatch.SpoolResult')]
    param(
        [Parameter(Mandatory = $true)]
        [ValidateNotNullOrEmpty()]
        [string]$ConfigPath,

        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential = [System.Management.Automation.PSCredential]::Empty
    )

    $settings = Import-SlaWatchConfig -Path $ConfigPath
    Initialize-SlaWatchLog -Settings $settings

    $tokenCachePath = $null
    if (-not $PSBoundParameters.ContainsKey('Credential')) {
        $Credential = Import-SlaWatchCredential -Path $settings.CredentialPath
        $tokenCachePath = Get-SlaWatchTokenCachePath -CredentialPath $settings.CredentialPath -SpoolDirectory $settings.SpoolDirectory
    }

    $delivery = Invoke-SlaWatchDelivery -Settings $settings -Credential $Credential -TokenCachePath $tokenCachePath
    $exitCode = 0
    if ($delivery.CredentialError) { $exitCode = 30 }
    elseif ($delivery.DeliveryFailed -or ($delivery.Remaining -gt 0) -or ($delivery.DeadLettered -gt 0)) { $exitCode = 20 }
    Write-SlaWatchLog -Level Info -Message ("spool flush: delivered={0} deadLettered={1} remaining={2} exitCode={3}" -f `
            $delivery.Delivered, $delivery.DeadLettered, $delivery.Remaining, $exitCode)

    $output = [pscustomobject]@{
        Delivered    = $delivery.Delivered
        DeadLettered = $delivery.DeadLettered
        Remaining    = $delivery.Remaining
        ExitCode     = $exitCode
        Message      = $delivery.Message
    }
    $output.PSObject.TypeNames.Insert(0, 'SlaWatch.SpoolResult')
    $output
}
