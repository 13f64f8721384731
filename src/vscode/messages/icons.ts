import { isDidCommBasicMessage } from '../../core/text/messageText';

/** A codicon per known service type. */
export function serviceTypeIcon(serviceType: string): string {
  switch (serviceType) {
    case 'message':
      return 'comment';
    case 'federate':
      return 'organization';
    case 'vpn':
      return 'shield';
    case 'socket':
      return 'plug';
    case 'sign':
      return 'key';
    default:
      return isDidCommBasicMessage(serviceType) ? 'comment-discussion' : 'mail';
  }
}
