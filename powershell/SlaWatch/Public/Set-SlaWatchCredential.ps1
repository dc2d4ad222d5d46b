function Set-SlaWatchCredential {
    <#
        .SYNOPSIS
        Stores the scanner's Cognito credential for the account the scheduled task runs as, protected with DPAPI.

        .DESCRIPTION
        Writes the PSCredential with Export-Clixml, which encrypts the password with Windows DPAPI for the current
        user on the current computer: only that account, on that server, can read it back. Run it AS THE TASK'S
        ACCOUNT (e.g. "runas /user:CONTOSO\svc-slawatch powershell.exe"), on the server that runs the task.
        The password never goes into the configuration or onto a command line.

        Any cached tokens next to the file are deleted, so the next run signs in with the new credential.
        Windows only (elsewhere Export-Clixml does not encrypt).

        .PARAMETER Credential
        The Cognito user name and password of the scanner (prompted for when omitted).

        .PARAMETER Path
        Where to write the file. Default: C:\ProgramData\SlaWatch\scanner.credential.xml.

        .PARAMETER ConfigPath
        Take the path from auth.credentialPath of this configuration file instead.

        .EXAMPLE
        Set-SlaWatchCredential -ConfigPath C:\ProgramData\SlaWatch\slawatch.json

        Prompts for the scanner's user name and password and stores them where the configuration expects them.

        .OUTPUTS
        System.IO.FileInfo
    #>
    [CmdletBinding(SupportsShouldProcess = $true, DefaultParameterSetName = 'Path')]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory = $true)]
        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()]
        $Credential,

        [Parameter(ParameterSetName = 'Path')]
        [string]$Path,

        [Parameter(Mandatory = $true, ParameterSetName = 'Config')]
        [string]$ConfigPath
    )

    if (-not $script:IsWindowsPlatform) {
        $PSCmdlet.ThrowTerminatingError((Get-SlaWatchErrorRecord -ErrorId 'SlaWatch.PlatformNotSupported' -Category NotImplemented `
                    -Message 'Set-SlaWatchCredential needs Windows DPAPI; on Linux use the Python scanner and its credential store'))
    }
    if ($PSCmdlet.ParameterSetName -eq 'Config') {
        $Path = (Import-SlaWatchConfig -Path $ConfigPath).CredentialPath
    }
    elseif (-not $Path) {
        $Path = [System.IO.Path]::Combine([Environment]::GetFolderPath('CommonApplicationData'), 'SlaWatch', 'scanner.credential.xml')
    }

    $account = '{0}\{1}' -f [Environment]::UserDomainName, [Environment]::UserName
    if ($PSCmdlet.ShouldProcess($Path, "Store the credential of '$($Credential.UserName)', readable only by $account on $([Environment]::MachineName)")) {
        $directory = Split-Path -Path $Path -Parent
        if ($directory -and -not (Test-Path -LiteralPath $directory -PathType Container)) {
            $null = New-Item -ItemType Directory -Path $directory -Force -ErrorAction Stop
        }
        Export-Clixml -LiteralPath $Path -InputObject $Credential -Force -ErrorAction Stop
        Clear-SlaWatchTokenCache -Path (Get-SlaWatchTokenCachePath -CredentialPath $Path)
        Write-Verbose -Message "stored the credential of '$($Credential.UserName)' in '$Path' for $account"
        Get-Item -LiteralPath $Path
    }
}
