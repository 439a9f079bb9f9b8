import type { AnyStep } from '../../engine/index.ts';
import { ask } from './ask.ts';
import { awaitPayment } from './await-payment.ts';
import { browseCatalog } from './browse-catalog.ts';
import { checkout } from './checkout.ts';
import { choose } from './choose.ts';
import { handoff } from './handoff.ts';
import { orderStatus } from './order-status.ts';
import { say } from './say.ts';
import { searchDirectory } from './search-directory.ts';
import { showCart } from './show-cart.ts';
import { showProduct } from './show-product.ts';
import { chooseFulfilment } from './choose-fulfilment.ts';
import { askAddress, askTable } from './fulfilment-details.ts';
import { askContact, askNote } from './fulfilment-contact.ts';
import { orderSummary } from './order-summary.ts';

export { ask, awaitPayment, browseCatalog, checkout, choose, handoff, orderStatus, say, searchDirectory, showCart, showProduct };
export { askAddress, askContact, askNote, askTable, chooseFulfilment, orderSummary };

/** The standard step library every flow can use. */
export const standardSteps: AnyStep[] = [
  say, ask, choose, searchDirectory, browseCatalog, showProduct, showCart, checkout, awaitPayment, orderStatus, handoff,
  chooseFulfilment, askAddress, askTable, askContact, askNote, orderSummary,
] as AnyStep[];
